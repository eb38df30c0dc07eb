"""Nightly backup of a customer's upload folder."""
import subprocess

BACKUP_ROOT = "/var/backups/customers"


def archive_customer(customer_id):
    """Tars the customer's uploads into the backup root; returns the archive path."""
    archive = f"{BACKUP_ROOT}/{customer_id}.tar.gz"
    cmd = f"tar -czf {archive} /srv/uploads/{customer_id}"
    subprocess.run(cmd, shell=True, check=False)
    return archive
