// Entry: read the per-boot token the daemon put into the page, connect, render.
import { render } from 'preact';
import { App } from './app';
import { DaemonClient } from './daemon/daemon-client';
import { systemClock } from './flow/clock';
import { Speaker } from './voice/speaker';
import './styles.css';

const token = document.querySelector<HTMLMetaElement>('meta[name="kiosk-token"]')?.content ?? '';
const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
const client = new DaemonClient({ url: `${scheme}://${location.host}/ws`, token });
client.start();

const root = document.getElementById('app');
if (root) render(<App client={client} clock={systemClock} speaker={new Speaker(token)} token={token} />, root);
