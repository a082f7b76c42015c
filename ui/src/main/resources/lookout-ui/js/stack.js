// Java stack traces as collapsible text with the application's own frames
// highlighted: a frame is "library" when its class is in a well-known package.
import { el } from './dom.js';

const LIBRARY_PREFIXES = [
  'java.', 'javax.', 'jakarta.', 'jdk.', 'sun.', 'com.sun.', 'kotlin.', 'scala.',
  'org.apache.catalina.', 'org.apache.coyote.', 'org.apache.tomcat.', 'org.apache.logging.',
  'org.springframework.', 'org.eclipse.jetty.', 'io.javalin.', 'org.slf4j.', 'ch.qos.logback.',
  'net.bytebuddy.', 'io.opentelemetry.', 'dev.lookout.agent.', 'io.netty.', 'reactor.',
  'com.fasterxml.', 'org.hibernate.', 'io.undertow.', 'org.glassfish.', 'com.zaxxer.', 'org.junit.',
];
const FRAME = /^\s*at\s+(?:[\w.$-]+\/)*([\w$.<>]+)\(/;

export function isAppFrame(line) {
  const m = FRAME.exec(line);
  if (!m) return false;
  return !LIBRARY_PREFIXES.some((prefix) => m[1].startsWith(prefix));
}

function lineNode(line) {
  let className = 'st-line';
  if (FRAME.test(line)) className += isAppFrame(line) ? ' st-frame app-frame' : ' st-frame';
  else if (/^\s*(Caused by|Suppressed):/.test(line)) className += ' st-cause';
  else if (/^\s*\.\.\. \d+ more/.test(line)) className += ' st-more';
  return el('span', { className, text: `${line}\n` });
}

/**
 * A <details> whose summary is the first line (plus the first application frame,
 * which is usually what one is looking for) and whose body is the whole trace.
 */
export function stackTrace(text, { open = false, summary } = {}) {
  const lines = String(text ?? '').replace(/\s+$/, '').split(/\r?\n/);
  const firstApp = lines.find(isAppFrame);
  const details = el('details', { className: 'stack', attrs: { open } });
  details.append(
    el('summary', {}, [
      el('span', { className: 'stack-head', text: summary ?? lines[0] ?? '' }),
      firstApp ? el('span', { className: 'stack-where mono', text: firstApp.trim() }) : null,
    ]),
    el('pre', { className: 'stack-text mono' }, lines.map(lineNode)),
  );
  return details;
}
