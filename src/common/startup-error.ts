/**
 * Raised when start-up cannot go on safely (stored credentials, the database directory, instant
 * mode's connection); main prints the message as one line and exits 2.
 */
export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupError';
  }
}
