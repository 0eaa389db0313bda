// The live part of a loss chart, used only by charts.js: the batch losses as the browser holds them, their
// TensorBoard-style EMA, and a /hubs/runs connection that appends each run's batches without a Blazor render.

// Past this many points the held curve is thinned to half as many (each bucket's min and max, as Api/Downsampler),
// so a chart open for a long run stays quick.
export const maxPoints = 4000;

// Components/Pages/Runs/Smoothing.cs in JS: an EMA debiased by 1 - weight^n (TensorBoard), so the first points are
// not pulled towards zero. Nulls (non-finite losses) pass through. state carries the EMA across appends.
export function ema(values, weight, state = { last: 0, count: 0 }) {
  return values.map(value => {
    if (typeof value !== 'number' || !Number.isFinite(value)) return value;
    state.last = state.last * weight + (1 - weight) * value;
    state.count++;
    const debias = weight === 1 ? 1 : 1 - weight ** state.count;
    return state.last / debias;
  });
}

// points: [{x, y, lr}] sorted by x; keeps about target of them, each bucket's lowest and highest y in step order.
export function thin(points, target) {
  if (points.length <= target) return points;
  const buckets = Math.max(1, Math.floor(target / 2));
  const result = [];
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor((points.length * b) / buckets);
    const end = Math.floor((points.length * (b + 1)) / buckets);
    if (end <= start) continue;
    let min = points[start];
    let max = points[start];
    for (let i = start + 1; i < end; i++) {
      if ((points[i].y ?? Infinity) < (min.y ?? Infinity)) min = points[i];
      if ((points[i].y ?? -Infinity) > (max.y ?? -Infinity)) max = points[i];
    }
    if (min === max) result.push(min);
    else result.push(...(min.x < max.x ? [min, max] : [max, min]));
  }
  return result;
}

// Streams one run's batches to onPoints([{x, y, lr}]) in step order, without gaps: it joins the run's group first, then
// fetches what came after lastStep() (points that arrive meanwhile wait), and does the same after every reconnect.
export function connect(runId, lastStep, onPoints, onState) {
  const signalR = window.signalR;
  if (!signalR) throw new Error('SignalR is not loaded: App.razor must include lib/signalr/signalr.min.js.');
  const connection = new signalR.HubConnectionBuilder()
    .withUrl(new URL('hubs/runs', document.baseURI).toString())
    .withAutomaticReconnect()
    .configureLogging(signalR.LogLevel.Warning)
    .build();
  let waiting = null; // points streamed while catching up
  let stopped = false;

  const deliver = points => {
    const after = lastStep();
    const fresh = points.filter(p => p.x > after);
    if (fresh.length > 0) onPoints(fresh);
  };
  const toPoint = p => ({ x: p.step, y: Number.isFinite(p.loss) ? p.loss : null, lr: p.learningRate });

  connection.on('batchLosses', message => {
    if (message.runId !== runId) return;
    const points = message.points.map(toPoint);
    if (waiting) waiting.push(...points);
    else deliver(points);
  });

  const catchUp = async () => {
    waiting = [];
    try {
      await connection.invoke('JoinRun', runId);
      const response = await fetch(new URL(`api/runs/${runId}/batch-losses?after=${lastStep()}`, document.baseURI));
      if (response.ok) deliver((await response.json()).map(toPoint));
    } finally {
      const held = waiting;
      waiting = null;
      deliver(held);
    }
    onState('live');
  };

  connection.onreconnecting(() => onState('reconnecting'));
  connection.onreconnected(() => catchUp().catch(() => onState('reconnecting')));
  connection.onclose(() => { if (!stopped) onState('closed'); });
  (async () => {
    try {
      await connection.start();
      if (!stopped) await catchUp();
    } catch {
      if (!stopped) onState('closed');
    }
  })();

  return {
    stop: () => {
      stopped = true;
      connection.stop();
    },
  };
}
