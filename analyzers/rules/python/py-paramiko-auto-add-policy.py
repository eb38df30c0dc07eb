import paramiko
from paramiko import AutoAddPolicy


def run_remote(host, user, key_file, command):
    client = paramiko.SSHClient()
    # ruleid: py-paramiko-auto-add-policy
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    client.connect(host, username=user, key_filename=key_file)
    return client.exec_command(command)


def deploy(ssh, host):
    # ruleid: py-paramiko-auto-add-policy
    ssh.set_missing_host_key_policy(AutoAddPolicy)
    # ruleid: py-paramiko-auto-add-policy
    ssh.set_missing_host_key_policy(paramiko.client.WarningPolicy())
    ssh.connect(host)


def run_checked(host, user):
    client = paramiko.SSHClient()
    client.load_system_host_keys()
    # ok: py-paramiko-auto-add-policy
    client.set_missing_host_key_policy(paramiko.RejectPolicy())
    client.connect(host, username=user)
    # ok: py-paramiko-auto-add-policy
    client.load_host_keys("/etc/ssh/ssh_known_hosts")
    return client
