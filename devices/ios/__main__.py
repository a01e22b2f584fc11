"""``make bench-ios [DEVICE=udid]``: latency of one variant's Core ML model on an iPhone or iPad, per compute unit.

    python -m devices.ios --model mobilevit_v2_1.0 [--device UDID] [--compute-units all]

Needs a Mac with Xcode 15+ and a connected device with Developer Mode on; see devices/ios/README.md.
"""

from __future__ import annotations

import os
import sys

from devices.cli import add_common_arguments, run
from runtimes.coreml_runtime import COMPUTE_UNITS
from models.command_line import command_parser


def main(argv: list[str] | None = None) -> int:
    parser = command_parser("devices.ios", __doc__)
    parser.add_argument("--device", "-d", default=None,
                        help="UDID (or name) from `xcrun devicectl list devices` (needed when several are connected)")
    parser.add_argument("--compute-units", choices=(*COMPUTE_UNITS, "all"), default="all",
                        help="Core ML compute units ('all', the default, = each of the four in turn)")
    parser.add_argument("--team", default=os.environ.get("DEVELOPMENT_TEAM") or None,
                        help="Apple development team ID that signs the test runner (default: $DEVELOPMENT_TEAM)")
    add_common_arguments(parser)
    # --timeout bounds the whole `xcodebuild test`: the first build of the harness, then every compute unit.
    # --threads does not apply: Core ML chooses its own threads.
    parser.set_defaults(timeout=1800)
    args = parser.parse_args(argv)

    def measure(step):
        from devices.ios.harness import bench_ios
        from models.arguments import config_from_args

        config = config_from_args(args)
        return bench_ios(config, args.artifacts, device=args.device, precision=args.precision, weights=args.weights,
                         compute_units=args.compute_units, team=args.team, timing={"min_seconds": args.min_seconds},
                         timeout=args.timeout, step=step)

    return run(measure, args.out, args.name)


if __name__ == "__main__":
    sys.exit(main())
