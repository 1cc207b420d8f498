import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface DockerAvailability {
  readonly available: boolean;
  /** Why not, in words a reader of the test report understands. */
  readonly reason: string;
}

/**
 * Whether a Docker engine answers, decided synchronously so that a suite can choose between
 * `describe` and `describe.skip` when Jest collects it. The Docker CLI alone is not enough: it is
 * installed on machines that have no engine.
 */
export function dockerAvailability(): DockerAvailability {
  try {
    const version = execFileSync('docker', ['version', '--format', '{{.Server.Version}}'], {
      timeout: 10_000,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
      .toString()
      .trim();
    return { available: true, reason: `Docker engine ${version}` };
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stderr?: Buffer };
    if (failure.code === 'ENOENT') {
      const socket = process.env['DOCKER_HOST'] ?? '/var/run/docker.sock';
      return existsSync(socket.replace(/^unix:\/\//, ''))
        ? { available: true, reason: `Docker socket ${socket} (no docker CLI to ask)` }
        : { available: false, reason: 'no docker CLI on PATH and no Docker socket' };
    }
    const detail = failure.stderr?.toString().trim().split('\n')[0] ?? failure.message;
    return { available: false, reason: `no Docker engine reachable (${detail})` };
  }
}
