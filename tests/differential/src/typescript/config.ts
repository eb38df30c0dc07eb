import * as fs from 'fs';
import * as https from 'https';
import * as path from 'path';

export interface Config {
  apiKey: string;
  endpoint: string;
  verifyTls: boolean;
}

const DEFAULTS: Config = { apiKey: '', endpoint: 'https://api.example.com', verifyTls: true };

export function loadConfig(file: string): Config {
  const raw = fs.readFileSync(path.join('/etc/shop', file), 'utf8');
  const parsed = JSON.parse(raw) as Config;
  return { ...DEFAULTS, ...parsed };
}

export function readUpload(name: string): Buffer {
  return fs.readFileSync('/var/uploads/' + name);
}

export function readStatic(): Buffer {
  return fs.readFileSync('/var/www/index.html');
}

export function client(config: Config): https.Agent {
  if (!config.verifyTls) {
    return new https.Agent({ rejectUnauthorized: false });
  }
  return new https.Agent({ rejectUnauthorized: true, keepAlive: true });
}

export function evaluate(expr: string): unknown {
  // eslint-disable-next-line no-eval
  return eval(expr);
}

export function parseNumber(value: string): number {
  const n = Number(value);
  if (n !== n) {
    throw new Error('not a number: ' + value);
  }
  return n;
}
