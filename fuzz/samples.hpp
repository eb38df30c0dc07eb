// A small real-looking program per language, for the targets that need a tree to match against.
#pragma once

#include <string_view>

namespace vigil::fuzz {

inline std::string_view sample_for(std::string_view language) {
  if (language == "python")
    return "import subprocess, requests\n\ndef run(cmd, url):\n    x = f(1) + g(cmd)\n"
           "    subprocess.call('ls ' + cmd, shell=True)\n    requests.get(url, verify=False)\n"
           "    if x:\n        return eval(x)\n    for i in range(3):\n        print(i)\n";
  if (language == "javascript" || language == "typescript" || language == "tsx")
    return "const cp = require('child_process');\nfunction a(x) { return eval(x); }\n"
           "class C {\n  m(cmd) {\n    cp.exec(`ls ${cmd}`);\n    el.innerHTML = cmd;\n  }\n}\n";
  if (language == "go")
    return "package main\n\nimport \"os/exec\"\n\nfunc run(cmd string) error {\n"
           "\tc := exec.Command(\"sh\", \"-c\", cmd)\n\tif c == nil {\n\t\treturn nil\n\t}\n\treturn c.Run()\n}\n";
  if (language == "java")
    return "class A {\n  void run(String cmd) throws Exception {\n    Runtime.getRuntime().exec(cmd);\n"
           "    if (cmd.isEmpty()) { return; }\n    System.out.println(cmd + 1);\n  }\n}\n";
  if (language == "c" || language == "cpp")
    return "#include <stdio.h>\nint main(int argc, char** argv) {\n  char buf[16];\n  gets(buf);\n"
           "  sprintf(buf, \"%s\", argv[1]);\n  if (argc > 2) { system(argv[2]); }\n  return 0;\n}\n";
  return "x = 1\n";
}

}  // namespace vigil::fuzz
