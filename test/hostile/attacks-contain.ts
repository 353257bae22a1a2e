/**
 * Hostile engines against the grader's machine's resources and shared state (issue 23): shared memory past the
 * memory limit, files and SysV segments left behind on the host, unix sockets of the host, other processes'
 * /proc entries. Placed into the correct engine by `hostileSource` (attacks.ts), with these placeholders: TAG (a
 * name unique to the test run: every file, socket and key the attack makes carries it), KEY (a SysV IPC key),
 * SOCKETS (unix socket paths the test listens on). Each raises with what it got, so the report shows it ran.
 */
import type { Attack } from './attacks.ts';

export const CONTAIN_ATTACKS: Attack[] = [
  {
    id: 'shm-mmap',
    fn: 'sigmoid_backward',
    about:
      'mmap(-1, 1 GiB) (MAP_SHARED | MAP_ANONYMOUS: shared memory, which RLIMIT_DATA does not count), every page touched',
    code: `import mmap
size = 1 << 30
m = mmap.mmap(-1, size)
for i in range(0, size, 4096):
    m[i] = 1
raise RuntimeError('held %d MiB of shared memory' % (size >> 20))`,
  },
  {
    id: 'devshm-hog',
    fn: 'relu',
    about: 'writes 1 GiB into /dev/shm (a tmpfs in memory) in 4 MiB files, under the file-size limit, and leaves them',
    code: `import os
d = '/dev/shm' if os.path.isdir('/dev/shm') else os.environ.get('TMPDIR', '.')
block = b'\\1' * (4 << 20)
for i in range(256):
    with open(os.path.join(d, '%s-shm-%d' % (TAG, i)), 'wb') as f:
        f.write(block)
raise RuntimeError('left 1 GiB in ' + d)`,
  },
  {
    id: 'sysv-shm',
    fn: 'linear_backward',
    about: 'creates a 1 GiB SysV shared-memory segment, fills 64 MiB of it and leaves it (it outlives the process)',
    code: `import ctypes
libc = ctypes.CDLL(None, use_errno=True)
libc.shmget.restype = ctypes.c_int
libc.shmget.argtypes = [ctypes.c_int, ctypes.c_size_t, ctypes.c_int]
libc.shmat.restype = ctypes.c_void_p
libc.shmat.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_int]
libc.shmdt.argtypes = [ctypes.c_void_p]
sid = libc.shmget(KEY, 1 << 30, 0o1000 | 0o666)
if sid < 0:
    raise RuntimeError('sysv: shmget refused, errno %d' % ctypes.get_errno())
addr = libc.shmat(sid, None, 0)
if addr not in (None, ctypes.c_void_p(-1).value):
    ctypes.memset(addr, 1, 64 << 20)
    libc.shmdt(addr)
raise RuntimeError('sysv: left segment %d' % sid)`,
  },
  {
    id: 'tmp-leftover',
    fn: 'initialize_parameters',
    about: 'leaves files in /tmp, /var/tmp and /dev/shm (world-readable if it could)',
    code: `import os
left = []
for d in ['/tmp', '/var/tmp', '/dev/shm']:
    p = os.path.join(d, '%s-left' % TAG)
    try:
        with open(p, 'w') as f:
            f.write('left behind')
        os.chmod(p, 0o644)
        left.append(p)
    except OSError:
        pass
raise RuntimeError('left: %r' % left)`,
  },
  {
    id: 'unix-socket',
    fn: 'initialize_parameters_deep',
    about: 'connects to unix sockets the host listens on in /tmp, /run and beside its own file (mode 0777)',
    code: `import socket
got = []
for path in SOCKETS.split('|'):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        s.settimeout(2)
        s.connect(path)
        got.append(path)
    except OSError:
        pass
    finally:
        s.close()
raise RuntimeError('unix: connected to %d' % len(got))`,
  },
  {
    id: 'proc-peek',
    fn: 'compute_cost',
    about: "reads /proc/<ppid>/cmdline and every other process's command line, and returns them in its error",
    code: `import os
seen = []
for pid in [os.getppid()] + [int(p) for p in os.listdir('/proc') if p.isdigit()]:
    try:
        with open('/proc/%d/cmdline' % pid, 'rb') as f:
            seen.append(f.read().replace(b'\\0', b' ').decode('latin1')[:300])
    except OSError:
        pass
raise RuntimeError('proc: %d processes: %s' % (len(seen), ' | '.join(seen)))`,
  },
];
