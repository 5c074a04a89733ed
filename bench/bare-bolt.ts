/**
 * The baseline of the command benchmark: a bare Bolt app in its own process that answers the
 * same signed /ladder request with a fixed text. Prints its port as JSON on stdout.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';

const receiver = new HTTPReceiver({
  signingSecret: process.env.SLACK_SIGNING_SECRET as string,
  logLevel: LogLevel.ERROR,
});
const app = new App({
  token: process.env.SLACK_BOT_TOKEN as string,
  receiver,
  logLevel: LogLevel.ERROR,
  clientOptions: { slackApiUrl: process.env.SLACK_API_URL as string },
});
app.command('/ladder', async ({ ack }) => {
  await ack({ response_type: 'ephemeral', text: 'A fixed reply from a bare Bolt app.' });
});
const server = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
process.stdout.write(
  `${JSON.stringify({ msg: 'ladder started', port: (server.address() as AddressInfo).port })}\n`,
);
process.on('SIGTERM', () => process.exit(0));
