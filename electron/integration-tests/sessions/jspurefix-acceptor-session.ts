import 'reflect-metadata';
import { AsciiSession } from 'jspurefix';
import type { IJsFixConfig, ILooseObject, MsgView } from 'jspurefix';
import type { FieldReader } from '../../core/fix/fix-text';
import { displayFixText } from '../../core/fix/fix-text';

export interface AcceptorSessionEvents {
  /** Decides a Logon: undefined accepts, a string refuses with that reason. */
  checkLogon(senderCompId: string | undefined, username: string | undefined, password: string | undefined): string | undefined;
  onLoggedOn(session: AcceptorSession): void;
  /** An application message from the desk; `raw` is its text as received (SOH shown as '|'). */
  onRequest(session: AcceptorSession, msgType: string, fields: FieldReader, raw: string): void;
  onEnded(session: AcceptorSession, error?: Error): void;
}

/** A jspurefix acceptor session: a FIX engine we did not write, for the interoperability test. */
export class AcceptorSession extends AsciiSession {
  private loggedOn = false;
  /** The text of the message being dispatched: the parser emits it just before the message itself. */
  private decodedText = '';

  constructor(
    config: IJsFixConfig,
    private readonly events: AcceptorSessionEvents,
  ) {
    super(config);
    this.logReceivedMsgs = false;
    this.on('error', () => {});
  }

  get isLoggedOn(): boolean {
    return this.loggedOn;
  }

  /** A report in the engine's own terms: an object of its dictionary's field names (components nested). */
  sendReport(msgType: string, fields: ILooseObject): void {
    this.send(msgType, fields);
  }

  protected override onLogon(view: MsgView, user: string, password: string): boolean {
    const refusal = this.events.checkLogon(view.getString(49) ?? undefined, user ?? undefined, password ?? undefined);
    if (refusal !== undefined) {
      this.sessionLogger.warning(`refusing logon: ${refusal}`);
      // The engine's own Logout only says 'logon rejected by application': say why first.
      this.sendLogout(refusal);
      return false;
    }
    return true;
  }

  protected override onReady(_view: MsgView): void {
    this.loggedOn = true;
    this.events.onLoggedOn(this);
  }

  protected override onApplicationMsg(msgType: string, view: MsgView): void {
    this.events.onRequest(this, msgType, { get: (tag) => view.getString(tag) ?? undefined }, displayFixText(this.decodedText));
  }

  protected override onStopped(error?: Error): void {
    this.loggedOn = false;
    this.events.onEnded(this, error);
  }

  protected override onDecoded(_msgType: string, txt: string): void {
    this.decodedText = txt;
  }

  protected override onEncoded(_msgType: string, _txt: string): void {}
}
