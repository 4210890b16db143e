import 'reflect-metadata';
import { AsciiSession } from 'jspurefix';
import type { IJsFixConfig, ILooseObject, MsgView } from 'jspurefix';
import type { FieldReader } from './fix-text';
import { displayFixText } from './fix-text';
import type { FixFields } from './outbound-mapping';

export interface InitiatorSessionEvents {
  /** The broker answered our Logon. */
  onLoggedOn(): void;
  onApplicationMessage(msgType: string, fields: FieldReader, raw: string): void;
  /** A session-level Reject (35=3): it never reaches onApplicationMessage. */
  onSessionReject(text: string, raw: string): void;
  /** The broker sent Logout; its Text often says why a logon was refused. */
  onPeerLogout(text: string | undefined): void;
  /** An application message we sent, as encoded on the wire (for the audit trail). */
  onApplicationSent(msgType: string, raw: string): void;
}

/** The application messages the desk sends; session messages (heartbeats, logon) are not audited per order. */
const APPLICATION_OUT = new Set(['D', 'F', 'G', 'H', 'Q']);

/** One FIX 4.4 initiator session. It lives across reconnects: each new socket is handed to run(). */
export class InitiatorSession extends AsciiSession {
  /** The text of the message being dispatched: the parser emits it just before the message itself. */
  private decodedText = '';

  constructor(
    config: IJsFixConfig,
    private readonly events: InitiatorSessionEvents,
  ) {
    super(config);
    this.logReceivedMsgs = false;
    // The engine emits 'error' when a transport fails; run() reports it. Without a listener the
    // EventEmitter would throw it at whoever emitted it.
    this.on('error', () => {});
  }

  /** Hands an application message to the transmitter. Encoding happens asynchronously on its stream. */
  sendApplication(msgType: string, fields: FixFields): void {
    this.send(msgType, fields as unknown as ILooseObject);
  }

  protected override onApplicationMsg(msgType: string, view: MsgView): void {
    const reader: FieldReader = { get: (tag) => view.getString(tag) ?? undefined };
    this.events.onApplicationMessage(msgType, reader, displayFixText(this.decodedText));
  }

  protected override onSessionMsg(msgType: string, view: MsgView): void {
    if (msgType === '3') {
      const text = [
        `RefSeqNum=${view.getString(45) ?? '?'}`,
        `RefMsgType=${view.getString(372) ?? '?'}`,
        `RefTagID=${view.getString(371) ?? '-'}`,
        `SessionRejectReason=${view.getString(373) ?? '-'}`,
        view.getString(58) ?? '',
      ].join(' ');
      this.events.onSessionReject(text.trim(), displayFixText(this.decodedText));
    } else if (msgType === '5') {
      this.events.onPeerLogout(view.getString(58) ?? undefined);
    }
    super.onSessionMsg(msgType, view);
  }

  protected override onDecoded(_msgType: string, txt: string): void {
    this.decodedText = txt;
  }

  protected override onEncoded(msgType: string, txt: string): void {
    if (APPLICATION_OUT.has(msgType)) this.events.onApplicationSent(msgType, displayFixText(txt));
  }

  protected override onReady(_view: MsgView): void {
    this.events.onLoggedOn();
  }

  protected override onStopped(_error?: Error): void {}

  protected override onLogon(_view: MsgView, _user: string, _password: string): boolean {
    return true;
  }
}
