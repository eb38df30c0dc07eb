import javax.servlet.http.HttpServletRequest;
import org.springframework.expression.*;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.expression.spel.support.*;
import org.springframework.web.bind.annotation.*;

@RestController
public class FilterController {
    private final ExpressionParser parser = new SpelExpressionParser();

    @GetMapping("/filter")
    public Object filter(@RequestParam String condition, Order order) {
        // ruleid: java-spel-injection
        Expression e = parser.parseExpression(condition);
        return e.getValue(new StandardEvaluationContext(order));
    }

    public Object sortKey(HttpServletRequest request, Order order) {
        String field = request.getParameter("sort");
        // ruleid: java-spel-injection
        return parser.parseExpression("#order." + field).getValue(new StandardEvaluationContext(), Object.class);
    }

    @GetMapping("/name-length")
    public Object nameLength(@RequestParam String name) {
        EvaluationContext ctx = SimpleEvaluationContext.forReadOnlyDataBinding().build();
        ctx.setVariable("name", name);
        // ok: java-spel-injection
        return parser.parseExpression("#name.length()").getValue(ctx);
    }

    public Object page(HttpServletRequest request) {
        int n = Integer.parseInt(request.getParameter("page"));
        // ok: java-spel-injection
        return parser.parseExpression("T(java.lang.Math).min(" + n + ", 100)").getValue();
    }
}
