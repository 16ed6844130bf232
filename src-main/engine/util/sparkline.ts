// ASCII sparklines (Redis's sparkline.c), as LATENCY GRAPH draws them: `rows` text rows of
// "_o#" steps (filled below with '|'), then each sample's label written vertically beneath it.

export interface SparklineSample {
  value: number;
  label: string;
}

const CHARSET_FILL = '_o#';
const LABEL_MARGIN_TOP = 1;

/** sparklineRender with SPARKLINE_FILL: the samples in chunks of `columns`, a blank line between. */
export function renderSparkline(samples: readonly SparklineSample[], columns: number, rows: number): string {
  // sparklineSequenceAddSample's min/max (a new minimum is never also checked as a maximum).
  let min = 0;
  let max = 0;
  samples.forEach(({ value }, i) => {
    if (i === 0) min = max = value;
    else if (value < min) min = value;
    else if (value > max) max = value;
  });
  const labels = samples.filter((s) => s.label !== '').length;
  let output = '';
  for (let j = 0; j < samples.length; j += columns) {
    if (j !== 0) output += '\n';
    output += renderRange(samples.slice(j, j + columns), min, max, labels, rows);
  }
  return output;
}

/** sparklineRenderRange. */
function renderRange(samples: readonly SparklineSample[], min: number, max: number, labels: number, rows: number): string {
  const steps = CHARSET_FILL.length * rows;
  const relmax = max - min === 0 ? 1 : max - min;
  let output = '';
  for (let row = 0, loop = true; loop; row++) {
    loop = false;
    const chars = new Array<string>(samples.length).fill(' ');
    for (let j = 0; j < samples.length; j++) {
      const sample = samples[j]!;
      let step = Math.trunc(Math.trunc((sample.value - min) * steps) / relmax);
      if (step < 0) step = 0;
      if (step >= steps) step = steps - 1;
      if (row < rows) {
        const charIndex = step - (rows - row - 1) * CHARSET_FILL.length;
        loop = true;
        if (charIndex >= 0 && charIndex < CHARSET_FILL.length) chars[j] = CHARSET_FILL[charIndex]!;
        else if (charIndex >= CHARSET_FILL.length) chars[j] = '|';
      } else {
        // A blank line between the graph and the labels.
        if (labels !== 0 && row - rows < LABEL_MARGIN_TOP) {
          loop = true;
          break;
        }
        const labelChar = row - rows - LABEL_MARGIN_TOP;
        if (sample.label.length > labelChar) {
          loop = true;
          chars[j] = sample.label[labelChar]!;
        }
      }
    }
    if (loop) output += chars.join('') + '\n';
  }
  return output;
}
