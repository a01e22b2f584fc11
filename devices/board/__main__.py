"""``make bench-ssh HOST=…``: latency of one variant on a Linux board over SSH.

    python -m devices.board --host pi@raspberrypi --model mobilevit_v2_1.0 --runtime litert --threads 1,4
"""

from __future__ import annotations

import sys
from pathlib import Path

from devices.board.runner import BOARD_RUNTIMES
from devices.cli import add_common_arguments, run
from models.command_line import command_parser


def main(argv: list[str] | None = None) -> int:
    parser = command_parser("devices.board", __doc__)
    parser.add_argument("--host", required=True, help="user@host or an ~/.ssh/config alias")
    parser.add_argument("--port", type=int, default=None, help="SSH port (default: ssh's, usually 22)")
    parser.add_argument("--identity", type=Path, default=None, help="private key file (default: ssh's own choice)")
    parser.add_argument("--ssh-option", action="append", default=[], metavar="KEY=VALUE",
                        help="extra `ssh -o` option, repeatable (e.g. ProxyJump=gateway)")
    parser.add_argument("--python", default="python3", help="the board's Python with numpy and the runtime")
    parser.add_argument("--remote-tmp", default="/tmp", help="where the board's working directory goes")
    parser.add_argument("--runtime", "-r", default="onnxruntime", choices=(*BOARD_RUNTIMES, "all"))
    add_common_arguments(parser)
    args = parser.parse_args(argv)

    def measure(step):
        from devices.board.harness import bench_board
        from devices.transports.ssh import SSHTransport
        from models.arguments import config_from_args

        config = config_from_args(args)
        transport = SSHTransport(args.host, port=args.port, identity=args.identity, options=args.ssh_option,
                                 remote_tmp=args.remote_tmp)
        rows = []
        for runtime in BOARD_RUNTIMES if args.runtime == "all" else [args.runtime]:
            rows += bench_board(transport, config, runtime, args.threads, args.artifacts, precision=args.precision,
                                weights=args.weights, python=args.python, timing={"min_seconds": args.min_seconds},
                                timeout=args.timeout, step=step)
        return rows

    return run(measure, args.out, args.name)


if __name__ == "__main__":
    sys.exit(main())
