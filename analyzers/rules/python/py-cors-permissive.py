from flask import Flask
from flask_cors import CORS, cross_origin

app = Flask(__name__)
# ruleid: py-cors-permissive
CORS(app, origins="*", supports_credentials=True)
# ruleid: py-cors-permissive
CORS(app, resources={r"/api/*": {"origins": "*"}}, supports_credentials=True)
# ok: py-cors-permissive
CORS(app, origins=["https://app.example.com"], supports_credentials=True)
# ok: py-cors-permissive
CORS(app, resources={r"/public/*": {"origins": "*"}})


@app.route("/me")
# ruleid: py-cors-permissive
@cross_origin(supports_credentials=True)
def me():
    return {}


@app.route("/health")
# ok: py-cors-permissive
@cross_origin()
def health():
    return "ok"


# settings.py
# ruleid: py-cors-permissive
CORS_ALLOW_ALL_ORIGINS = True
# ruleid: py-cors-permissive
CORS_ORIGIN_ALLOW_ALL = True
# ok: py-cors-permissive
CORS_ALLOW_ALL_ORIGINS = False
# ok: py-cors-permissive
CORS_ALLOWED_ORIGINS = ["https://app.example.com"]
