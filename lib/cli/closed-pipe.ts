/**
 * `primero-ona report | head`: once the reader has gone, what is left of the
 * output has no one to read it. Its EPIPE is not a failure of the command, so
 * the command ends as it would have (exit 0 when it succeeded), without a stack
 * trace; later writes to the closed stream are dropped. Any other stream error
 * is still thrown.
 */
export function quietOnClosedPipe(...streams: NodeJS.WriteStream[]): void {
  for (const stream of streams) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED') return;
      throw e;
    });
  }
}
