// A bench-only window into a child process's memory through its inspector (the child is started
// with --inspect=127.0.0.1:0): forced full GCs in the main isolate and in every worker thread, and
// each isolate's heap used after them. The app gets no route for it. Without the forced GC an RSS
// difference carries whatever V8 has not collected yet, which moved bench:fleet's figure by
// ±200 KiB per cluster between runs.

/** The inspector's WebSocket URL from the child's stderr ("Debugger listening on ws://..."). */
export function inspectorUrl(stderr, echo = process.stderr) {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const onData = (chunk) => {
      echo.write(chunk);
      if (buffered === null) return;
      buffered += chunk.toString('utf8');
      const url = /Debugger listening on (ws:\/\/\S+)/.exec(buffered)?.[1];
      if (!url) return;
      buffered = null;
      resolve(url);
    };
    stderr.on('data', onData);
    stderr.once('end', () => buffered !== null && reject(new Error('no inspector URL on stderr')));
  });
}

/**
 * One inspector session on the process, with the NodeWorker domain on so that every worker thread
 * (the diagnostics worker starts with the first engine) gets a session of its own through it.
 */
export async function connectInspector(url) {
  // Node 22+ has a WebSocket client built in (the scripts run on the pinned Node 24).
  const ws = new globalThis.WebSocket(url);
  await new Promise((resolve, reject) => {
    ws.addEventListener('open', resolve, { once: true });
    ws.addEventListener('error', () => reject(new Error(`inspector ${url} refused`)), {
      once: true,
    });
  });
  let nextId = 1;
  const pending = new Map();
  const workers = new Map();
  const settle = (message) => {
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    if (message.error) waiter.reject(new Error(JSON.stringify(message.error)));
    else waiter.resolve(message.result);
  };
  ws.addEventListener('message', (event) => {
    const message = JSON.parse(event.data);
    if (message.id !== undefined) return settle(message);
    if (message.method === 'NodeWorker.attachedToWorker')
      workers.set(message.params.sessionId, message.params.workerInfo.title);
    else if (message.method === 'NodeWorker.detachedFromWorker')
      workers.delete(message.params.sessionId);
    else if (message.method === 'NodeWorker.receivedMessageFromWorker')
      settle(JSON.parse(message.params.message));
  });
  const send = (method, params = {}, sessionId) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      const message = JSON.stringify({ id, method, params });
      if (sessionId === undefined) return ws.send(message);
      const outer = { id: nextId++, method: 'NodeWorker.sendMessageToWorker' };
      pending.set(outer.id, { resolve: () => undefined, reject });
      ws.send(JSON.stringify({ ...outer, params: { message, sessionId } }));
    });
  await send('NodeWorker.enable', { waitForDebuggerOnStart: false });
  return { send, workers, close: () => ws.close() };
}

/**
 * Full GCs (twice: what the first frees may hold more) in every isolate, then each one's heap
 * used: `{ mainHeapKiB, workerHeapKiB, workers }`.
 */
export async function collectEverywhere(inspector) {
  const sessions = [undefined, ...inspector.workers.keys()];
  const heaps = [];
  for (const sessionId of sessions) {
    await inspector.send('HeapProfiler.collectGarbage', {}, sessionId);
    await inspector.send('HeapProfiler.collectGarbage', {}, sessionId);
    heaps.push((await inspector.send('Runtime.getHeapUsage', {}, sessionId)).usedSize);
  }
  const kib = (bytes) => Math.round(bytes / 1024);
  return {
    mainHeapKiB: kib(heaps[0]),
    workerHeapKiB: kib(heaps.slice(1).reduce((a, b) => a + b, 0)),
    workers: sessions.length - 1,
  };
}
