import javax.script.*;
import javax.servlet.http.HttpServletRequest;
import groovy.lang.GroovyShell;
import org.springframework.web.bind.annotation.*;

@RestController
public class CalculatorController {
    private final ScriptEngine engine = new ScriptEngineManager().getEngineByName("javascript");

    public Object calc(HttpServletRequest request) throws ScriptException {
        String expr = request.getParameter("expr");
        // ruleid: java-code-injection
        return engine.eval(expr);
    }

    @PostMapping("/rules")
    public Object rule(@RequestBody String script) {
        GroovyShell shell = new GroovyShell();
        // ruleid: java-code-injection
        return shell.evaluate("def order = ctx.order\n" + script);
    }

    public Object fixed(HttpServletRequest request) throws ScriptException {
        Bindings b = engine.createBindings();
        b.put("amount", Double.parseDouble(request.getParameter("amount")));
        // ok: java-code-injection
        return engine.eval("amount * 1.2", b);
    }

    public Object sum(HttpServletRequest request) throws ScriptException {
        int a = Integer.parseInt(request.getParameter("a"));
        // ok: java-code-injection
        return engine.eval("1 + " + a);
    }
}
