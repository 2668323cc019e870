"""The wrapper's gcloud server: runs a command while answering its fake gcloud calls.

A script makes hundreds of gcloud calls, and starting Python and importing the fake for each one
costs far more than the call itself. So the wrapper loads the fake once, listens on a local TCP
port (`FAKECLOUD_PORT`, which `bin/gcloud` connects to with bash's /dev/tcp), and forks a copy of
itself per call. A fork starts with nothing from earlier calls, exactly like a new process: the
state lives only in the state file, under its lock.

The protocol, one connection per call: the client sends NUL-terminated fields (its working
directory, a count and that many NAME=VALUE `FAKECLOUD_*` variables, a count and that many
arguments); the server answers with the exit status, the byte length of the standard output, the
output, the length of the standard error and the error (numbers NUL-terminated). The client
writes the two itself, so they land in its own descriptors exactly as gcloud's would.
"""
import os
import selectors
import signal
import socket
import sys

import fakegcloud

# How long a client may take to send its call (it sends it at once; this only bounds a broken one).
REQUEST_TIMEOUT_SECONDS = 30


def run(command, env):
    """Runs COMMAND with ENV plus FAKECLOUD_PORT, serving its calls until it exits; returns its
    exit status as a shell would report it (128 + N when signal N killed it)."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(('127.0.0.1', 0))
    listener.listen(128)
    env = dict(env, FAKECLOUD_PORT=str(listener.getsockname()[1]))
    child = os.fork()
    if child == 0:
        listener.close()
        try:
            os.execvpe(command[0], command, env)
        except OSError as e:
            sys.stderr.write(f'fakecloud: cannot run {command[0]}: {e.strerror}\n')
            sys.stderr.flush()
            os._exit(127)
    # Ctrl-C or a test's kill of the wrapper reaches the command, as it did when the wrapper
    # exec'd the command itself.
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, lambda n, _frame: os.kill(child, n))
    exited = os.pidfd_open(child)
    events = selectors.DefaultSelector()
    events.register(listener, selectors.EVENT_READ)
    events.register(exited, selectors.EVENT_READ)
    calls = set()
    try:
        while True:
            ready = [key.fileobj for key, _ in events.select()]
            if exited in ready:
                break
            if listener in ready:
                connection, _ = listener.accept()
                call = os.fork()
                if call == 0:
                    listener.close()
                    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
                        signal.signal(signum, signal.SIG_DFL)
                    os._exit(serve(connection))
                calls.add(call)
                connection.close()
            reap(calls)
    finally:
        listener.close()
    _, status = os.waitpid(child, 0)
    reap(calls, block=True)
    code = os.waitstatus_to_exitcode(status)
    return code if code >= 0 else 128 - code


def reap(calls, block=False):
    """Collects the finished call processes among CALLS (a set of pids, updated)."""
    for pid in list(calls):
        if os.waitpid(pid, 0 if block else os.WNOHANG)[0]:
            calls.discard(pid)


def serve(connection):
    """Runs one call in this forked process; returns this process's exit status."""
    try:
        connection.settimeout(REQUEST_TIMEOUT_SECONDS)
        cwd, variables, argv = read_request(connection)
        os.chdir(cwd)
        for name in [n for n in os.environ if n.startswith('FAKECLOUD_')]:
            del os.environ[name]
        os.environ.update(variables)
        status, out, err = fakegcloud.execute(argv)
        out, err = (text.encode('utf-8', 'surrogateescape') for text in (out, err))
        connection.sendall(b'%d\0%d\0%s%d\0%s' % (status, len(out), out, len(err), err))
        return 0
    except Exception as e:  # noqa: BLE001 - a broken call must not take the wrapper down
        sys.stderr.write(f'fakecloud: call failed in the server: {e!r}\n')
        try:
            connection.sendall(b'2\0000\0000\0')
        except OSError:
            pass
        return 1


def read_request(connection):
    fields = Fields(connection)
    cwd = fields.next()
    variables = dict(fields.next().split('=', 1) for _ in range(int(fields.next())))
    argv = [fields.next() for _ in range(int(fields.next()))]
    return cwd, variables, argv


class Fields:
    """NUL-terminated fields read from a socket, decoded as the OS decodes argv."""

    def __init__(self, connection):
        self.connection = connection
        self.buffer = b''

    def next(self):
        while b'\0' not in self.buffer:
            chunk = self.connection.recv(65536)
            if not chunk:
                raise EOFError('the client closed the connection mid-request')
            self.buffer += chunk
        field, self.buffer = self.buffer.split(b'\0', 1)
        return os.fsdecode(field)
