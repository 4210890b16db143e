import type { FixMessageView } from '../../../shared/contract/views';
import { fixValueMeaning } from './fix-values';

/** The tags a reader of an execution report looks for first. */
const KEY_TAGS = new Set([35, 39, 150, 58, 11, 41, 14, 151, 6, 31, 32, 103, 102]);

/** One FIX message, raw beside parsed (tag, name, value). */
export function FixMessageDetail({ fix, id, label }: { fix: FixMessageView; id: string; label: string }) {
  return (
    <div className="fix-detail" id={id} role="group" aria-label={label}>
      <div className="fix-raw">
        <h4 className="fix-heading">
          Raw <span className="muted">{fix.direction === 'in' ? 'received from the broker' : 'sent to the broker'} · SOH shown as |</span>
        </h4>
        <pre className="fix-raw-text" aria-label={`Raw ${label}`} tabIndex={0}>
          {fix.raw}
        </pre>
      </div>
      <div className="fix-parsed">
        <h4 className="fix-heading">
          Parsed <span className="muted">{fix.fields.length} fields</span>
        </h4>
        <table className="fix-table" aria-label={`Parsed ${label}`}>
          <thead>
            <tr>
              <th scope="col" className="num">
                Tag
              </th>
              <th scope="col">Name</th>
              <th scope="col">Value</th>
            </tr>
          </thead>
          <tbody>
            {fix.fields.map((field, index) => {
              const meaning = fixValueMeaning(field.tag, field.value);
              return (
                <tr key={`${index}-${field.tag}`} className={KEY_TAGS.has(field.tag) ? 'fix-key' : undefined}>
                  <td className="num">{field.tag}</td>
                  <td>{field.name}</td>
                  <td className="mono fix-value">
                    {field.value}
                    {meaning !== undefined && <span className="fix-meaning"> ({meaning})</span>}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}
