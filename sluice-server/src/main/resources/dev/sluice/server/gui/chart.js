// A small SVG line chart: a few series over the last N samples, y from 0 to the largest value seen.

const NS = 'http://www.w3.org/2000/svg';
const COLORS = ['#2f6fde', '#e0752d', '#2a9d62', '#b3399a', '#8a6d1f', '#5a5a5a'];

function svg(tag, attrs) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) {
    el.setAttribute(k, v);
  }
  return el;
}

/** A chart kept in an element: push(values by series name) adds a sample and redraws. */
export class LineChart {
  constructor(container, title, options) {
    this.capacity = (options && options.capacity) || 60;
    this.unit = (options && options.unit) || '';
    this.series = new Map(); // name -> array of numbers (oldest first)
    this.container = container;
    this.container.classList.add('chart');
    this.titleEl = document.createElement('div');
    this.titleEl.className = 'chart-title';
    this.titleEl.textContent = title;
    this.svg = svg('svg', { viewBox: '0 0 300 120', preserveAspectRatio: 'none', role: 'img', 'aria-label': title });
    this.legend = document.createElement('div');
    this.legend.className = 'legend';
    container.replaceChildren(this.titleEl, this.svg, this.legend);
    this.samples = 0;
  }

  push(values) {
    for (const [name, v] of Object.entries(values)) {
      if (!this.series.has(name)) {
        this.series.set(name, new Array(this.samples).fill(null));
      }
    }
    for (const [name, arr] of this.series) {
      arr.push(name in values ? values[name] : null);
      if (arr.length > this.capacity) {
        arr.shift();
      }
    }
    this.samples = Math.min(this.samples + 1, this.capacity);
    this.container.dataset.samples = String(this.samples);
    this.draw();
  }

  /** The latest value of a series (tests and legends read it). */
  last(name) {
    const arr = this.series.get(name);
    return arr && arr.length ? arr[arr.length - 1] : null;
  }

  draw() {
    let max = 0;
    for (const arr of this.series.values()) {
      for (const v of arr) {
        if (v !== null && v > max) {
          max = v;
        }
      }
    }
    const top = max > 0 ? niceCeiling(max) : 1;
    const w = 300;
    const hgt = 120;
    const pad = 4;
    const nodes = [];
    for (const f of [0.25, 0.5, 0.75]) {
      nodes.push(svg('line', { x1: 0, x2: w, y1: hgt * f, y2: hgt * f, class: 'grid' }));
    }
    let i = 0;
    const legend = [];
    // the x axis spans the samples so far (at least 10), up to the capacity: a new chart fills its width at once
    const span = Math.min(this.capacity, Math.max(this.samples, 10));
    for (const [name, arr] of this.series) {
      const color = COLORS[i++ % COLORS.length];
      const step = w / (span - 1);
      const offset = span - arr.length;
      let d = '';
      arr.forEach((v, k) => {
        if (v === null) {
          return;
        }
        const x = (offset + k) * step;
        const y = hgt - pad - (v / top) * (hgt - 2 * pad);
        d += (d === '' ? 'M' : 'L') + x.toFixed(1) + ' ' + y.toFixed(1);
      });
      if (d) {
        nodes.push(svg('path', { d, stroke: color, class: 'line', 'data-series': name }));
        const end = d.substring(d.lastIndexOf(d.includes('L') ? 'L' : 'M') + 1).split(' ');
        nodes.push(svg('circle', { cx: end[0], cy: end[1], r: 2.5, fill: color }));
      }
      const lastValue = arr.length ? arr[arr.length - 1] : null;
      const item = document.createElement('span');
      item.className = 'legend-item';
      item.dataset.series = name;
      item.dataset.value = lastValue === null ? '' : String(lastValue);
      const swatch = document.createElement('i');
      swatch.style.background = color;
      item.append(swatch, name + ' ' + format(lastValue) + this.unit);
      legend.push(item);
    }
    const scale = svg('text', { x: 2, y: 10, class: 'scale' });
    scale.textContent = format(top) + this.unit;
    nodes.push(scale);
    this.svg.replaceChildren(...nodes);
    this.legend.replaceChildren(...legend);
  }
}

function niceCeiling(v) {
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 2, 5, 10]) {
    if (v <= m * p) {
      return m * p;
    }
  }
  return 10 * p;
}

function format(v) {
  if (v === null || v === undefined) {
    return '—';
  }
  if (v >= 1000) {
    return (v / 1000).toFixed(1) + 'k';
  }
  return v >= 10 || Number.isInteger(v) ? String(Math.round(v)) : v.toFixed(1);
}
