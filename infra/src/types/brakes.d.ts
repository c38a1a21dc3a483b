// brakes 3.1 ships no types: the part of its API the breaker wrapper uses.
declare module 'brakes' {
  import { EventEmitter } from 'node:events';

  interface BrakesOptions {
    name?: string;
    group?: string;
    bucketSpan?: number;
    bucketNum?: number;
    circuitDuration?: number;
    statInterval?: number;
    registerGlobal?: boolean;
    waitThreshold?: number;
    threshold?: number;
    timeout?: number;
    healthCheckInterval?: number;
    healthCheck?: () => Promise<unknown>;
    percentiles?: number[];
    isPromise?: boolean;
    isFunction?: boolean;
    modifyError?: boolean;
    isFailure?: (error: unknown) => boolean;
  }

  interface BrakesStats {
    total: number;
    successful: number;
    failed: number;
    timedOut: number;
    shortCircuited: number;
    latencyMean: number;
    percentiles: Record<string, number>;
  }

  interface BrakesSnapshot {
    name: string;
    open: boolean;
    stats: BrakesStats;
  }

  class Brakes<A extends unknown[] = unknown[], R = unknown> extends EventEmitter {
    constructor(main: (...args: A) => Promise<R>, options: BrakesOptions);
    readonly name: string;
    exec(...args: A): Promise<R>;
    isOpen(): boolean;
    destroy(): void;
    on(event: 'snapshot', listener: (snapshot: BrakesSnapshot) => void): this;
    on(event: 'circuitOpen' | 'circuitClosed', listener: () => void): this;
    on(event: 'healthCheckFailed', listener: (error: unknown) => void): this;
  }

  export = Brakes;
}
