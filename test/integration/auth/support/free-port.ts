import { createServer } from 'node:net';

/** A port that was free a moment ago on 127.0.0.1 and ::1 (the loopback server binds both). */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
      });
    });
    const v6Free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', (error: NodeJS.ErrnoException) => resolve(error.code !== 'EADDRINUSE'));
      server.listen(port, '::1', () => server.close(() => resolve(true)));
    });
    if (v6Free) return port;
  }
  throw new Error('no free port');
}
