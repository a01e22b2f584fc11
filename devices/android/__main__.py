"""``make bench-android``: latency of one variant's .tflite on an Android phone, with LiteRT's benchmark_model.

    python -m devices.android --model mobilevit_v2_1.0 --benchmark-bin ~/Downloads/android_aarch64_benchmark_model
"""

from __future__ import annotations

import sys
from pathlib import Path

from devices.cli import add_common_arguments, run
from models.command_line import command_parser


def main(argv: list[str] | None = None) -> int:
    parser = command_parser("devices.android", __doc__)
    parser.add_argument("--serial", "-s", default=None,
                        help="the device's serial from `adb devices` (needed when several are attached)")
    parser.add_argument("--benchmark-bin", type=Path, default=None,
                        help="LiteRT's benchmark_model built for the phone's ABI (see README)")
    parser.add_argument("--adb", default=None, help="adb client to use (default: $ADB or adb on PATH)")
    parser.add_argument("--gpu", action="store_true", help="also time the GPU delegate")
    add_common_arguments(parser)
    args = parser.parse_args(argv)

    def measure(step):
        from devices.android.harness import bench_android
        from devices.transports.adb import AdbTransport
        from models.arguments import config_from_args

        config = config_from_args(args)
        transport = AdbTransport(args.serial, adb=args.adb)
        return bench_android(transport, config, args.benchmark_bin, args.artifacts, threads=args.threads,
                             gpu=args.gpu, precision=args.precision, weights=args.weights,
                             timing={"min_seconds": args.min_seconds}, timeout=args.timeout, step=step)

    return run(measure, args.out, args.name)


if __name__ == "__main__":
    sys.exit(main())
