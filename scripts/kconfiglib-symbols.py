#!/usr/bin/python3
"""Defined and undefined symbol names of a Kconfig tree, as Kconfiglib sees them.

    scripts/kconfiglib-symbols.py [ROOT_KCONFIG]    (default: Kconfig)

Run it from the tree root with the environment the project's Makefile gives
conf (ARCH, SRCARCH, srctree, CC, LD, KERNELVERSION, ...): Kconfiglib expands
$(...) itself and runs $(shell,...). Prints one JSON object,
{"defined": [...], "undefined": [...]}, both sorted. Choices are left out
(Kconfiglib keeps them apart from symbols); so are numbers, which Kconfig
parses as symbols nobody defines.

Kconfiglib 14.1 predates the `modules` attribute that replaced `option modules`
and rejects Linux 6.x trees on it; this script reads such a line as the older
`option modules`, which means the same. Uses Debian's python3-kconfiglib, hence
/usr/bin/python3 rather than whatever python3 comes first on PATH.
"""
import io
import json
import re
import sys

import kconfiglib

NUMBER = re.compile(r"-?([0-9]+|0[xX][0-9a-fA-F]+)")
MODULES_LINE = re.compile(r"^([ \t]*)modules[ \t]*$", re.MULTILINE)


class Kconfig(kconfiglib.Kconfig):
    def _open(self, filename, mode):
        f = super()._open(filename, mode)
        if mode != "r":
            return f
        with f:
            return io.StringIO(MODULES_LINE.sub(r"\1option modules", f.read()))


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "Kconfig"
    kconf = Kconfig(root, warn_to_stderr=False)
    defined, undefined = [], []
    for name, sym in kconf.syms.items():
        if sym.nodes:
            defined.append(name)
        # Kconfiglib creates MODULES on every tree, so an undefined one says nothing.
        elif not NUMBER.fullmatch(name) and name != "MODULES":
            undefined.append(name)
    json.dump({"defined": sorted(defined), "undefined": sorted(undefined)}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
