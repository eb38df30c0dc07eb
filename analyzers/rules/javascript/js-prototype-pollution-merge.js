// A deep merge written the usual way: recursion into target[key].
function deepMerge(target, source) {
  for (const key in source) {
    if (source[key] && typeof source[key] === "object") {
      if (!target[key]) {
        // ruleid: js-prototype-pollution-merge
        target[key] = {};
      }
      deepMerge(target[key], source[key]);
    } else {
      // ruleid: js-prototype-pollution-merge
      target[key] = source[key];
    }
  }
  return target;
}

// Two levels written directly.
const applyOverrides = (config, overrides) => {
  Object.keys(overrides).forEach((section) => {
    for (const [name, value] of Object.entries(overrides[section])) {
      // ruleid: js-prototype-pollution-merge
      config[section][name] = value;
    }
  });
};

// A path setter: setPath(obj, "a.b.c", v).
function setPath(obj, path, value) {
  let cur = obj;
  const parts = path.split(".");
  for (const part of path.split(".")) {
    if (cur[part] === undefined) {
      // ok: js-prototype-pollution-merge
      cur[part] = {};
    }
    // ruleid: js-prototype-pollution-merge
    cur = cur[part];
  }
  cur[parts[parts.length - 1]] = value;
  return obj;
}

// The same merge with the dangerous keys skipped.
function safeMerge(target, source) {
  for (const key of Object.keys(source)) {
    if (key === "__proto__" || key === "constructor" || key === "prototype") continue;
    if (typeof source[key] === "object") {
      // ok: js-prototype-pollution-merge
      target[key] = safeMerge(target[key] || {}, source[key]);
    } else {
      // ok: js-prototype-pollution-merge
      target[key] = source[key];
    }
  }
  return target;
}

// A shallow copy: one level, no recursion (Object.assign semantics).
function shallowCopy(target, source) {
  for (const key in source) {
    // ok: js-prototype-pollution-merge
    target[key] = source[key];
  }
  return target;
}

// Copying into a prototype-less object.
function toDict(source) {
  const out = Object.create(null);
  for (const key in source) {
    // ok: js-prototype-pollution-merge
    out[key] = { value: source[key] };
  }
  return out;
}

// Counting by key: the loop walks an array of values, not keys of caller data one level down.
function groupBy(items, field) {
  const groups = {};
  for (const item of items) {
    groups[item[field]] = groups[item[field]] || [];
    // ok: js-prototype-pollution-merge
    groups[item[field]].push(item);
  }
  return groups;
}
