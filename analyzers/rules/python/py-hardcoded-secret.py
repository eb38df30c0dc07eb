import os

import psycopg2
from flask import Flask

app = Flask(__name__)
# ruleid: py-hardcoded-secret
app.config["SECRET_KEY"] = "s3cr3t-dev-key-123"
# ruleid: py-hardcoded-secret
OPENAI_API_KEY = "sk-proj-4f9a8b7c6d5e4f3a2b1c"
# ruleid: py-hardcoded-secret
AWS_SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"

DB_CONFIG = {
    "host": "db.internal",
    # ruleid: py-hardcoded-secret
    "password": "hunter2!",
}


class Mailer:
    def __init__(self):
        # ruleid: py-hardcoded-secret
        self.smtp_password = "Tr0ub4dor&3"


def connect():
    # ruleid: py-hardcoded-secret
    return psycopg2.connect(host="db.internal", user="app", password="changeme123")


# ruleid: py-hardcoded-secret
def login(user, password="admin1234"):
    return user, password


# ok: py-hardcoded-secret
DB_PASSWORD = os.environ["DB_PASSWORD"]
# ok: py-hardcoded-secret
API_KEY = os.getenv("API_KEY", "")
# ok: py-hardcoded-secret
PRIVATE_KEY = "/etc/ssl/private/server.key"
# ok: py-hardcoded-secret
password_prompt = "Enter your password: "
# ok: py-hardcoded-secret
SECRET_KEY = "<replace-with-a-random-value>"
# ok: py-hardcoded-secret
api_key = "OPENAI_API_KEY"
# ok: py-hardcoded-secret
password = ""
# ok: py-hardcoded-secret
FIELDS = {"password": os.environ.get("SMTP_PASSWORD")}
# ok: py-hardcoded-secret
token_type = "bearer"
# ok: py-hardcoded-secret
SECRET_KEY_FIELD = "aws_secret_access_key"
# ok: py-hardcoded-secret
ACCESS_KEY = "aws_access_key_id"
# ok: py-hardcoded-secret
SET_PASSWORD = "SetPassword"
# ok: py-hardcoded-secret
AWS_ACCESS_KEY = "AWSAccessKeyId"
ATTRIBUTE_MAP = {
    # ok: py-hardcoded-secret
    "secret": "secret",
    # ok: py-hardcoded-secret
    "client_secret": "V1SecretVolumeSource",
}
# ruleid: py-hardcoded-secret
ADMIN_PASSWORD = "Password1"


def redact(url_password):
    # ok: py-hardcoded-secret
    password = ":****"
    return password
