"""The zygote: a small process with pdfminer imported that forks one worker per PDF.

Starting a Python interpreter and importing pdfminer costs about 0.1 s of CPU, as much as reading
a two-page EOB. The zygote pays it once: the service sends it, over a Unix socket, the two pipe
ends of a new request (``socket.send_fds``); it forks, and the child serves that one request
(:func:`scanner.ingest.pdf_worker.serve`) with its own limits and exits. The zygote answers with
the child's pid so the service can kill it at the deadline. The zygote is single-threaded (safe to
fork), reaps its children automatically, and exits when the service closes the socket.
"""

from __future__ import annotations

import os
import signal
import socket
import sys


def _child(control: socket.socket, request_fd: int, answer_fd: int) -> None:
    from scanner.ingest.pdf_worker import serve

    control.close()
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    code = 0
    try:
        with os.fdopen(request_fd, "rb") as requests, os.fdopen(answer_fd, "wb") as answers:
            serve(requests, answers)
    except BaseException:
        code = 1
    os._exit(code)


def run(control_fd: int) -> None:
    # Imported once here, inherited by every fork.
    import scanner.ingest.pdf_extract
    import scanner.ingest.pdf_worker  # noqa: F401

    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the kernel
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    control = socket.socket(fileno=control_fd)
    while True:
        try:
            message, fds, _, _ = socket.recv_fds(control, 16, 2)
        except OSError:
            return
        if not message or len(fds) != 2:
            for fd in fds:
                os.close(fd)
            return
        request_fd, answer_fd = fds
        pid = os.fork()
        if pid == 0:
            _child(control, request_fd, answer_fd)
        os.close(request_fd)
        os.close(answer_fd)
        try:
            control.sendall(pid.to_bytes(8, "big"))
        except OSError:
            return


if __name__ == "__main__":
    run(int(sys.argv[1]))
