import { pino, type Logger } from 'pino';

/** The default when a caller gives no logger. */
export const silentLogger: Logger = pino({ level: 'silent' });
