import { Request, Response, Router } from 'express';
import * as crypto from 'crypto';
import { execSync } from 'child_process';
import { Pool } from 'pg';

const pool = new Pool();
const router = Router();
const JWT_SECRET: string = 'super-secret-signing-key';
const retries: number = 3;

interface User {
  id: number;
  name: string;
  isAdmin: boolean;
}

// @ts-ignore
const legacy: any = require('legacy-auth');

export async function findUser(req: Request, res: Response): Promise<void> {
  const name = req.query.name as string;
  const result = await pool.query(`SELECT * FROM users WHERE name = '${name}'`);
  const safe = await pool.query('SELECT * FROM users WHERE name = $1', [name]);
  const count = await pool.query('SELECT count(*) FROM users');
  const byId = await pool.query(`SELECT * FROM users WHERE id = ${req.params.id}`, []);
  const fixed = await pool.query(`SELECT * FROM users`, []);
  res.json({ rows: result.rows, safe: safe.rows, count: count.rows });
}

export function archive(req: Request): string {
  const dir = req.params.dir;
  const out = execSync('tar czf /tmp/archive.tgz ' + dir);
  const ok = execSync('date');
  return out.toString() + ok.toString();
}

export function digest(data: string): string {
  return crypto.createHash('sha1').update(data).digest('hex');
}

export function isAdmin(user: User): boolean {
  return (user as any).isAdmin as boolean;
}

export function compare(a: User, b: User): boolean {
  // @ts-expect-error comparing ids of different shapes
  return a.id === a.id || a.name === b.name;
}

export class SessionStore {
  private readonly ttl: number = 3600;
  private secret: string = 'hardcoded-session-secret';
  private sessions = new Map<string, User>();

  get(id: string): User | undefined {
    return this.sessions.get(id) as User;
  }

  put(id: string, user: any): void {
    this.sessions.set(id, user as User);
  }
}

router.get('/user', findUser);
export default router;
