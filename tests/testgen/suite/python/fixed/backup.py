"""Nightly backup of a customer's upload folder."""
import subprocess

BACKUP_ROOT = "/var/backups/customers"


def archive_customer(customer_id):
    """Tars the customer's uploads into the backup root; returns the archive path."""
    archive = f"{BACKUP_ROOT}/{customer_id}.tar.gz"
    subprocess.run(["tar", "-czf", archive, f"/srv/uploads/{customer_id}"], check=False)
    return archive
