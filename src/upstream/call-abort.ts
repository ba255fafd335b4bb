import { EventEmitter } from 'node:events';

/**
 * Aborts one upstream call: AbortController and its signal in one EventEmitter, which undici
 * accepts as a request's `signal` as well. Not an AbortController because on Node 20 every
 * AbortSignal is created in the old generation (Node builds it by changing an EventTarget's
 * prototype), and all that its listeners reach, the whole upstream request, then outlives
 * scavenges until the next mark-compact: that was most of what the old generation filled with
 * under load. Node 22 builds signals in the young generation like any object.
 */
export class CallAbort extends EventEmitter<{ abort: [] }> {
  aborted = false;
  reason: unknown = undefined;

  abort(reason: unknown = new DOMException('This operation was aborted', 'AbortError')): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.emit('abort');
  }
}
