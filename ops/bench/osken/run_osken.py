"""Starts os-ken with our learning switch: `python run_osken.py --ofp-tcp-listen-port PORT`.

os-ken 4.x no longer ships the `osken-manager` command, so this does what it did: parse
os-ken's configuration options from the command line, load the OpenFlow handler and the
app, and run them until killed.
"""

import os
import sys

from os_ken import cfg
from os_ken.base.app_manager import AppManager


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path.insert(0, here)
    cfg.CONF(args=sys.argv[1:], project="os_ken")
    AppManager.run_apps(["os_ken.controller.ofp_handler", "simple_switch_13"])


if __name__ == "__main__":
    main()
