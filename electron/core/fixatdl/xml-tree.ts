import sax from 'sax';

/** An XML element as the FIXatdl reader needs it: local name, namespace, attributes by local name, where it starts. */
export interface XmlElement {
  readonly name: string;
  readonly namespace: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
  readonly line: number;
}

export class XmlSyntaxError extends Error {
  override readonly name = 'XmlSyntaxError';
}

/**
 * Parses a document into a tree of elements (text is ignored: FIXatdl keeps everything in
 * attributes, Description aside). sax in strict mode: no DTD is fetched, no entity expanded beyond
 * XML's five. A malformed document throws with its line.
 */
export function parseXml(text: string): XmlElement {
  const parser = sax.parser(true, { xmlns: true, position: true });
  type Open = { name: string; namespace: string; attributes: Record<string, string>; children: XmlElement[]; line: number };
  const stack: Open[] = [];
  let root: XmlElement | undefined;
  let failure: string | undefined;
  parser.onerror = (error) => {
    failure ??= `line ${parser.line + 1}: ${error.message.split('\n')[0] ?? 'malformed XML'}`;
    parser.resume();
  };
  parser.onopentag = (tag) => {
    const qualified = tag as sax.QualifiedTag;
    const attributes: Record<string, string> = {};
    for (const a of Object.values(qualified.attributes)) if (a.prefix !== 'xmlns' && a.name !== 'xmlns') attributes[a.prefix === 'xsi' ? `xsi:${a.local}` : a.local] = a.value;
    stack.push({ name: qualified.local, namespace: qualified.uri, attributes, children: [], line: parser.line + 1 });
  };
  parser.onclosetag = () => {
    const element = stack.pop();
    if (element === undefined) return;
    const parent = stack[stack.length - 1];
    if (parent !== undefined) parent.children.push(element);
    else root = element;
  };
  parser.write(text).close();
  if (failure !== undefined) throw new XmlSyntaxError(failure);
  if (root === undefined) throw new XmlSyntaxError('the document has no root element');
  return root;
}
