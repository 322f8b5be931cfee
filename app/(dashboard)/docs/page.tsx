import type { Metadata } from "next";
import { Fragment } from "react";
import { openApiDocument } from "@/lib/api/openapi-document";
import { contactFieldColumnRows, OTHER_MAPPING_VALUES, tagColumnHeaders, wellKnownAttributeRows } from "@/lib/docs/import-column-rows";
import { templateVariableRows } from "@/lib/docs/template-variable-rows";
import { PageHeader } from "../_components/ui";
import { anchor, apiObjects, apiReference, type ReferenceField, type ReferenceOperation } from "../_lib/api-reference";

export const metadata: Metadata = { title: "API reference" };

/** Descriptions are written with `code` in backticks, as in the README; show those as code. */
function Prose({ text }: { text: string }) {
  return (
    <>
      {text.split("`").map((part, index) => (index % 2 === 1 ? <code key={index}>{part}</code> : <Fragment key={index}>{part}</Fragment>))}
    </>
  );
}

function FieldsTable({ fields, location }: { fields: ReferenceField[]; location?: boolean }) {
  return (
    <table className="data reference-fields">
      <thead>
        <tr>
          <th scope="col">Field</th>
          {location ? <th scope="col">In</th> : null}
          <th scope="col">Type</th>
          <th scope="col">Required</th>
          <th scope="col">Description</th>
        </tr>
      </thead>
      <tbody>
        {fields.map((field) => (
          <tr key={`${field.location ?? ""}${field.name}`}>
            <td className="nowrap">
              <code>{field.name}</code>
            </td>
            {location ? <td>{field.location}</td> : null}
            <td>
              <code>{field.type}</code>
            </td>
            <td>{field.required ? "yes" : <span className="muted">no</span>}</td>
            <td>{field.description ? <Prose text={field.description} /> : <span className="muted">—</span>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Operation({ operation }: { operation: ReferenceOperation }) {
  return (
    <section className="reference-operation" id={anchor(operation.id)}>
      <h3 className="reference-signature">
        <span className={`badge reference-method reference-${operation.method.toLowerCase()}`}>{operation.method}</span> <code>{operation.path}</code>
        {operation.public ? <span className="muted"> · no API key</span> : null}
      </h3>
      <p>
        <strong>
          <Prose text={operation.summary} />
        </strong>
        {operation.description ? (
          <>
            {" "}
            — <Prose text={operation.description} />
          </>
        ) : null}
      </p>
      {operation.parameters.length > 0 ? <FieldsTable fields={operation.parameters} location /> : null}
      {operation.body ? (
        <>
          <p className="muted">
            Body (<code>{operation.body.contentType}</code>)
          </p>
          <FieldsTable fields={operation.body.fields} />
        </>
      ) : null}
      <table className="data reference-responses">
        <thead>
          <tr>
            <th scope="col">Answer</th>
            <th scope="col">When</th>
            <th scope="col">Body</th>
          </tr>
        </thead>
        <tbody>
          {operation.responses.map((response) => (
            <tr key={response.status}>
              <td className="num">{response.status}</td>
              <td>
                <Prose text={response.description} />
              </td>
              <td>{response.type ? <code>{response.type}</code> : <span className="muted">{Number(response.status) >= 400 ? "Error" : "—"}</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/**
 * The API reference, rendered from the OpenAPI document the API serves (built from the routes'
 * own zod schemas), plus what templates and import files can use, from the code that defines them.
 */
export default function DocsPage() {
  const document = openApiDocument();
  const sections = apiReference(document);
  const objects = apiObjects(document);
  return (
    <>
      <PageHeader
        title="API reference"
        subtitle={
          <>
            Every <code>/api/v1</code> endpoint, from <a href="/api/v1/openapi.json">/api/v1/openapi.json</a> (OpenAPI 3.1).
          </>
        }
      />
      <p>
        Send <code>Authorization: Bearer &lt;api key&gt;</code> with every request. Errors are <code>{'{"error": {"code", "message", "fields"?}}'}</code>: a 400
        names each invalid field by its path (<code>audience.listId</code>) and says what it must be. Lists are pages, newest first: pass{" "}
        <code>nextCursor</code> back as <code>?cursor=</code>.
      </p>
      <nav className="reference-toc" aria-label="Contents">
        {sections.map((section) => (
          <a key={section.tag} href={`#${anchor(section.tag)}`}>
            {section.tag}
          </a>
        ))}
        <a href="#objects">Objects</a>
        <a href="#template-variables">Template variables</a>
        <a href="#import-columns">Import columns</a>
      </nav>

      {sections.map((section) => (
        <section key={section.tag} id={anchor(section.tag)}>
          <h2>{section.tag}</h2>
          {section.operations.map((operation) => (
            <Operation key={operation.id} operation={operation} />
          ))}
        </section>
      ))}

      <section id="objects">
        <h2>Objects</h2>
        {objects.map((object) => (
          <Fragment key={object.name}>
            <h3 id={`object-${anchor(object.name)}`}>
              <code>{object.name}</code>
            </h3>
            {object.description ? (
              <p>
                <Prose text={object.description} />
              </p>
            ) : null}
            {object.fields.length > 0 ? <FieldsTable fields={object.fields} /> : <p><code>{object.type}</code></p>}
          </Fragment>
        ))}
      </section>

      <section id="template-variables">
        <h2>Template variables</h2>
        <p>
          Templates are Liquid in strict mode: an unknown variable is an error, and <code>| default:</code> or <code>{"{% if %}"}</code> guards a
          field some recipients lack. A <strong>notification</strong> sees its <code>data</code> at the top level, plus <code>contact</code> when
          sent with a <code>contactId</code>. A <strong>campaign message</strong> sees exactly these:
        </p>
        <table className="data">
          <thead>
            <tr>
              <th scope="col">Variable</th>
              <th scope="col">What it holds</th>
              <th scope="col">Example</th>
              <th scope="col">Channels</th>
            </tr>
          </thead>
          <tbody>
            {templateVariableRows().map((row) => (
              <tr key={row.name}>
                <td className="nowrap">
                  <code>{`{{ ${row.name} }}`}</code>
                </td>
                <td>
                  <Prose text={row.description} />
                  {row.nullable ? <span className="muted"> May be empty.</span> : null}
                </td>
                <td>
                  <code>{typeof row.example === "string" ? row.example : JSON.stringify(row.example)}</code>
                </td>
                <td>{row.channels.join(", ")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section id="import-columns">
        <h2>Import columns</h2>
        <p>
          <code>POST /api/v1/imports</code> and the Imports page read headers in compact form (lower-cased, accents and everything but letters
          and digits removed: <code>E-mail Address</code> is <code>emailaddress</code>). The <code>mapping</code> field (JSON, header → value)
          overrides any column.
        </p>
        <table className="data">
          <thead>
            <tr>
              <th scope="col">Column goes to</th>
              <th scope="col">
                <code>mapping</code> value
              </th>
              <th scope="col">Headers recognised without a mapping</th>
            </tr>
          </thead>
          <tbody>
            {[...contactFieldColumnRows(), ...wellKnownAttributeRows()].map((row) => (
              <tr key={row.mappingValue}>
                <td>
                  <Prose text={row.target} />
                </td>
                <td>
                  <code>{row.mappingValue}</code>
                </td>
                <td>{row.headers.join(", ")}</td>
              </tr>
            ))}
            <tr>
              <td>tags (lists with tagsAs=lists)</td>
              <td className="muted">—</td>
              <td>{tagColumnHeaders().join(", ")}</td>
            </tr>
            {OTHER_MAPPING_VALUES.map((other) => (
              <tr key={other.value}>
                <td>
                  <Prose text={other.meaning} />
                </td>
                <td>
                  <code>{other.value}</code>
                </td>
                <td className="muted">—</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}
