import tempfile
from tempfile import mktemp


def export_report(data, tmp_path_factory):
    # ruleid: py-tempfile-mktemp
    path = tempfile.mktemp(suffix=".csv")
    # ruleid: py-tempfile-mktemp
    other = mktemp()
    # ruleid: py-tempfile-mktemp
    with open(tempfile.mktemp(dir="/tmp"), "w") as fh:
        fh.write(data)
    # ok: py-tempfile-mktemp
    fd, safe_path = tempfile.mkstemp(suffix=".csv")
    # ok: py-tempfile-mktemp
    with tempfile.NamedTemporaryFile("w", delete=False) as tmp:
        tmp.write(data)
    # ok: py-tempfile-mktemp
    workdir = tmp_path_factory.mktemp("reports")
    # ok: py-tempfile-mktemp
    scratch = tempfile.mkdtemp()
    return path, other, fd, safe_path, workdir, scratch
