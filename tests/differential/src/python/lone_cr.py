# Exported from an old Mac tool: this comment has a lone carriage return  in the middle.
import pickle


def restore(blob):
    return pickle.loads(blob)


def run(expr):
    return eval(expr)
