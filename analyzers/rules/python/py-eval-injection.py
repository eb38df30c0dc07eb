import ast
import json

RULE = "1 + 2"


def run(expr, user, request):
    # ruleid: py-eval-injection
    eval(expr)
    # ruleid: py-eval-injection
    exec(user.code)
    # ruleid: py-eval-injection
    result = eval(request.args.get("formula"))
    # ruleid: py-eval-injection
    exec(f"handler_{user.name}()")
    # ruleid: py-eval-injection
    value = eval("lambda x: " + expr)
    # ok: py-eval-injection
    eval("1 + 2")
    # ok: py-eval-injection
    ast.literal_eval(expr)
    # ok: py-eval-injection
    exec("import os")
    # ok: py-eval-injection
    data = json.loads(request.body)
    # ok: py-eval-injection
    rule = engine.eval(expr)
    # ok: py-eval-injection
    eval(RULE)
    return result, value, data, rule
