import { Injectable } from '@angular/core';
import { HttpClient } from '@angular/common/http';
import { DomSanitizer, SafeHtml } from '@angular/platform-browser';

type Payload = Record<string, unknown>;

@Injectable({ providedIn: 'root' })
export class ReportService {
  private cache: Map<string, Payload> = new Map<string, Payload>();

  constructor(private http: HttpClient, private sanitizer: DomSanitizer) {}

  render(html: string): SafeHtml {
    return this.sanitizer.bypassSecurityTrustHtml(html);
  }

  renderStatic(): SafeHtml {
    return this.sanitizer.bypassSecurityTrustHtml('<b>ok</b>');
  }

  load(id: string): Promise<Payload | undefined> {
    const url = `/api/reports/${id}`;
    return this.http.get<Payload>(url)?.toPromise();
  }

  pick(payload: Payload | null): unknown {
    return payload!.secret ?? (payload as any)?.token;
  }

  run(expr: string): unknown {
    const fn = new Function('return ' + expr) as () => unknown;
    return fn();
  }

  store(key: string, value: Payload): void {
    this.cache.set(key, value);
    localStorage.setItem(key, JSON.stringify(value));
  }
}
