import json

import yaml
from yaml import CSafeLoader


def read_config(request, path, self_safe_loader):
    # ruleid: py-yaml-unsafe-load
    cfg = yaml.load(request.data)
    with open(path) as fh:
        # ruleid: py-yaml-unsafe-load
        docs = list(yaml.load_all(fh, Loader=yaml.Loader))
    # ruleid: py-yaml-unsafe-load
    other = yaml.load(request.files["manifest"], Loader=yaml.FullLoader)
    # ok: py-yaml-unsafe-load -- explicit unsafe_load is py-insecure-deserialization
    raw = yaml.unsafe_load(request.data)
    # ok: py-yaml-unsafe-load
    safe = yaml.safe_load(request.data)
    # ok: py-yaml-unsafe-load
    safe2 = yaml.load(request.data, Loader=yaml.SafeLoader)
    # ok: py-yaml-unsafe-load
    fast = yaml.load(request.data, Loader=CSafeLoader)
    # ok: py-yaml-unsafe-load
    data = json.load(request.stream)
    # ok: py-yaml-unsafe-load
    coded = yaml.load(request.data, Loader=self_safe_loader)
    # ok: py-yaml-unsafe-load
    text = yaml.dump(cfg)
    return coded, cfg, docs, other, raw, safe, safe2, fast, data, text
