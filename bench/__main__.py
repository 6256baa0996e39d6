"""``python -m bench [--full]``: print the decoder's numbers as a Markdown table."""

from __future__ import annotations

import platform
import sys

from bench import decode


def main() -> None:
    full = "--full" in sys.argv
    print(f"Python {platform.python_version()} on {platform.machine()}, {platform.system()}\n")
    print("| case | median s | rate |")
    print("|---|---:|---|")
    for name, seconds, rate in decode.run(quick=not full):
        print(f"| {name} | {seconds:.4f} | {rate} |")


if __name__ == "__main__":
    main()
