def run(expr, user):
    # ruleid: py-eval-injection
    eval(expr)
    # ruleid: py-eval-injection
    exec(user.code)
    # ok: py-eval-injection
    eval("1 + 2")
    # ok: py-eval-injection
    ast.literal_eval(expr)
