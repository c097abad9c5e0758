/**
 * A small YAML writer for the documents this library generates (maps, lists, strings, numbers, booleans).
 * Strings are always double-quoted with JSON escapes, which YAML reads the same way, so no value can change type.
 */
export function toYaml(value: unknown, indent = 0): string {
  return render(value, indent).join('\n') + '\n';
}

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

function render(value: unknown, indent: number): string[] {
  const pad = ' '.repeat(indent);
  if (Array.isArray(value)) {
    if (value.length === 0) {
      return [`${pad}[]`];
    }
    return value.flatMap((item) => {
      if (isScalar(item)) {
        return [`${pad}- ${scalar(item)}`];
      }
      const lines = render(item, indent + 2);
      return [`${pad}- ${lines[0].trimStart()}`, ...lines.slice(1)];
    });
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, Json>).filter(([, v]) => v !== undefined);
    if (entries.length === 0) {
      return [`${pad}{}`];
    }
    return entries.flatMap(([key, v]) => {
      const k = /^[A-Za-z_][A-Za-z0-9_./-]*$/.test(key) ? key : JSON.stringify(key);
      if (isScalar(v) || (Array.isArray(v) && v.length === 0) || (isObject(v) && Object.keys(v).length === 0)) {
        return [`${pad}${k}: ${isScalar(v) ? scalar(v) : Array.isArray(v) ? '[]' : '{}'}`];
      }
      return [`${pad}${k}:`, ...render(v, indent + 2)];
    });
  }
  return [`${pad}${scalar(value)}`];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function isScalar(v: unknown): boolean {
  return v === null || ['string', 'number', 'boolean'].includes(typeof v);
}

function scalar(v: unknown): string {
  if (v === null) {
    return 'null';
  }
  if (typeof v === 'string') {
    return JSON.stringify(v);
  }
  if (typeof v === 'number' && !Number.isFinite(v)) {
    throw new Error(`cannot write ${v} to YAML`);
  }
  return String(v);
}
