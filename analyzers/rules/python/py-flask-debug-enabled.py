import asyncio
import os

from flask import Flask

app = Flask(__name__)
# ruleid: py-flask-debug-enabled
app.debug = True
# ruleid: py-flask-debug-enabled
app.config["DEBUG"] = True
# ok: py-flask-debug-enabled
app.config["TESTING"] = True
# ok: py-flask-debug-enabled
logger.debug = True


async def main():
    await asyncio.sleep(0)


if __name__ == "__main__":
    # ruleid: py-flask-debug-enabled
    app.run(host="0.0.0.0", port=5000, debug=True)
    # ruleid: py-flask-debug-enabled
    create_app().run(debug=True)
    # ok: py-flask-debug-enabled
    app.run(host="127.0.0.1", debug=os.environ.get("FLASK_DEBUG") == "1")
    # ok: py-flask-debug-enabled
    app.run(debug=False)
    # ok: py-flask-debug-enabled
    asyncio.run(main(), debug=True)
