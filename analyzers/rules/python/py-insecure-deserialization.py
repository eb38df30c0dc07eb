import base64
import copy
import json
import marshal
import pickle
import shelve

import joblib
import numpy as np
import torch
import yaml


def restore_session(request, path, blob):
    # ruleid: py-insecure-deserialization
    session = pickle.loads(base64.b64decode(request.cookies["session"]))
    # ruleid: py-insecure-deserialization
    state = pickle.load(request.files["state"])
    # ruleid: py-insecure-deserialization
    code = marshal.loads(blob)
    # ruleid: py-insecure-deserialization
    model = joblib.load(path)
    # ruleid: py-insecure-deserialization
    weights = torch.load(request.files["checkpoint"])
    # ruleid: py-insecure-deserialization
    arr = np.load(path, allow_pickle=True)
    # ruleid: py-insecure-deserialization
    db = shelve.open(request.args["db"])
    # ok: py-insecure-deserialization
    data = json.loads(request.body)
    # ok: py-insecure-deserialization
    clone = pickle.loads(pickle.dumps(state))
    # ok: py-insecure-deserialization
    weights2 = torch.load(path, weights_only=True)
    # ok: py-insecure-deserialization
    arr2 = np.load(path)
    # ok: py-insecure-deserialization
    payload = pickle.dumps(session)
    # ok: py-insecure-deserialization
    cfg = yaml.safe_load(blob)
    # ok: py-insecure-deserialization
    shallow = copy.deepcopy(state)
    # ruleid: py-insecure-deserialization
    doc = yaml.unsafe_load(request.data)
    # ok: py-insecure-deserialization
    safe_doc = yaml.safe_load(request.data)
    return session, code, model, weights, arr, db, data, clone, weights2, arr2, payload, cfg, shallow, doc, safe_doc
