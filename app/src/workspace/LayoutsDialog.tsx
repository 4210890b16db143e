import { useId, useRef, useState } from 'react';
import { downloadText } from '../grid/grid-export';
import { ModalDialog } from '../shell/ModalDialog';
import { closeDialog } from '../store/actions';
import { useDesk } from '../store/desk-store';
import { applyLayout, deleteLayout, exportLayout, importLayout, resetLayout, saveLayoutAs, useWorkspace } from './workspace-store';

/** The largest layout file read (a layout is a few kilobytes; anything this large is not one). */
const MAX_FILE_BYTES = 512 * 1024;

/**
 * Named layouts: save the current arrangement (columns, sort, filters, views, panel sizes) under a
 * name, apply one, export one to a file or import one (validated: a bad file is refused with the
 * reason and the current layout kept), back to the default.
 */
export function LayoutsDialog() {
  const open = useDesk((s) => s.dialog?.kind === 'layouts');
  if (!open) return null;
  return <LayoutsBody />;
}

function LayoutsBody() {
  const layouts = useWorkspace((w) => w.doc.layouts);
  const active = useWorkspace((w) => w.doc.activeName);
  const saving = useWorkspace((w) => w.saving);
  const error = useWorkspace((w) => w.error);
  const [name, setName] = useState(active ?? '');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const baseId = useId();

  const save = (target: string) => {
    const problem = saveLayoutAs(target);
    setMessage(problem === null ? { ok: true, text: `Saved as "${target.trim()}"` } : { ok: false, text: problem });
  };

  const download = (layoutName?: string) => {
    const file = exportLayout(layoutName);
    downloadText(file.fileName, file.text, 'application/json');
    setMessage({ ok: true, text: `Exported to ${file.fileName}` });
  };

  const readFile = async (file: File | undefined) => {
    if (file === undefined) return;
    if (file.size > MAX_FILE_BYTES) {
      setMessage({ ok: false, text: `${file.name} is too large to be a layout (${Math.round(file.size / 1024)} KB). Your current layout is unchanged.` });
      return;
    }
    const result = importLayout(await file.text());
    setMessage(result.ok ? { ok: true, text: `Imported and applied "${result.name}"` } : { ok: false, text: `${file.name}: ${result.error}` });
    if (result.ok) setName(result.name);
  };

  return (
    <ModalDialog titleId="layouts-title" onClose={closeDialog} className="layouts-dialog">
      <h2 id="layouts-title">Layouts</h2>
      <p className="muted">
        Now showing: <strong>{active ?? 'your arrangement (not saved under a name)'}</strong>. Your arrangement is kept as you change it; a named layout keeps a copy to come back to.
      </p>
      <form
        className="layout-save"
        onSubmit={(e) => {
          e.preventDefault();
          save(name);
        }}
      >
        <label htmlFor={`${baseId}-name`}>Layout name</label>
        <input id={`${baseId}-name`} type="text" value={name} maxLength={40} onChange={(e) => setName(e.target.value)} data-autofocus />
        <button type="submit" className="btn btn-primary">
          Save layout
        </button>
      </form>
      {layouts.length > 0 ? (
        <table className="layouts-table">
          <caption className="visually-hidden">Saved layouts</caption>
          <thead>
            <tr>
              <th scope="col">Layout</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {layouts.map((l) => (
              <tr key={l.name}>
                <td>
                  {l.name}
                  {l.name === active ? <span className="muted"> (showing)</span> : null}
                </td>
                <td className="layouts-actions">
                  <button
                    type="button"
                    className="btn btn-row"
                    aria-label={`Apply layout ${l.name}`}
                    onClick={() => {
                      applyLayout(l.name);
                      setName(l.name);
                      setMessage({ ok: true, text: `Applied "${l.name}"` });
                    }}
                  >
                    Apply
                  </button>
                  <button type="button" className="btn btn-row" aria-label={`Export layout ${l.name}`} onClick={() => download(l.name)}>
                    Export
                  </button>
                  <button
                    type="button"
                    className="btn btn-row btn-danger"
                    aria-label={`Delete layout ${l.name}`}
                    onClick={() => {
                      deleteLayout(l.name);
                      setMessage({ ok: true, text: `Deleted "${l.name}"` });
                    }}
                  >
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">No saved layouts yet.</p>
      )}
      <div className="layout-file-buttons">
        <button type="button" className="btn" onClick={() => download()}>
          Export current layout
        </button>
        <button type="button" className="btn" onClick={() => fileRef.current?.click()}>
          Import layout file…
        </button>
        <input
          ref={fileRef}
          type="file"
          accept="application/json,.json"
          className="visually-hidden"
          tabIndex={-1}
          aria-label="Layout file to import"
          onChange={(e) => {
            void readFile(e.target.files?.[0]);
            e.target.value = '';
          }}
        />
        <button
          type="button"
          className="btn"
          onClick={() => {
            resetLayout();
            setMessage({ ok: true, text: 'Back to the default layout' });
          }}
        >
          Reset to default
        </button>
      </div>
      <p className={message?.ok === false || error !== null ? 'form-error' : 'muted'} role={message?.ok === false ? 'alert' : 'status'}>
        {message?.text ?? error ?? (saving ? 'Saving…' : '')}
      </p>
      <div className="dialog-buttons">
        <button type="button" className="btn" onClick={closeDialog}>
          Close
        </button>
      </div>
    </ModalDialog>
  );
}
