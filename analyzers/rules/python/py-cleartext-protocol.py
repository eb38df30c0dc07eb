import ftplib
import telnetlib
from ftplib import FTP, FTP_TLS

import requests


def reboot_switch(host, user, password):
    # ruleid: py-cleartext-protocol
    tn = telnetlib.Telnet(host, 23, timeout=10)
    tn.read_until(b"login: ")
    tn.write(user.encode() + b"\n")
    tn.read_until(b"Password: ")
    tn.write(password.encode() + b"\n")
    tn.write(b"reload\n")


def upload_backup(host, user, password, path):
    # ruleid: py-cleartext-protocol
    ftp = FTP(host)
    ftp.login(user, password)
    with open(path, "rb") as f:
        ftp.storbinary("STOR backup.tar.gz", f)
    ftp.quit()


def upload_backup_tls(host, user, password, path):
    # ok: py-cleartext-protocol
    ftp = FTP_TLS(host)
    ftp.login(user, password)
    ftp.prot_p()
    with open(path, "rb") as f:
        ftp.storbinary("STOR backup.tar.gz", f)


def mirror_listing(host):
    # ok: py-cleartext-protocol
    ftp = ftplib.FTP(host)
    ftp.login()
    return ftp.nlst()


def quick_ftp(host, user, password):
    # ruleid: py-cleartext-protocol
    return ftplib.FTP(host, user, password).nlst()


def fetch_orders(api_key):
    # ruleid: py-cleartext-protocol
    return requests.get("http://api.example.com/orders", headers={"X-Api-Key": api_key}).json()


def fetch_orders_tls(api_key):
    # ok: py-cleartext-protocol
    return requests.get("https://api.example.com/orders", headers={"X-Api-Key": api_key}).json()


def login(user, password):
    # ruleid: py-cleartext-protocol
    return requests.post("http://auth.example.com/login", data={"user": user, "password": password})


def local_login(user, password):
    # ok: py-cleartext-protocol
    return requests.post("http://localhost:8080/login", data={"user": user, "password": password})


def public_page():
    # ok: py-cleartext-protocol
    return requests.get("http://example.com/index.html").text
