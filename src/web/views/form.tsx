// Form parts shared by every page: the CSRF field, labelled inputs with their error beside them, notices.
import type { PageContext } from '../page-context.ts';

export interface FormErrors {
  /** Field name → message; `_form` for an error that belongs to the whole form. */
  [field: string]: string;
}

export function CsrfField({ ctx }: { ctx: PageContext }): JSX.Element {
  return <input type="hidden" name="_csrf" value={ctx.csrfToken} />;
}

interface FieldProps {
  name: string;
  label: string;
  type?: string;
  value?: string;
  errors?: FormErrors;
  hint?: string;
  autocomplete?: string;
  inputmode?: string;
  required?: boolean;
  maxlength?: number;
  /** Distinguishes ids when one page has two forms with the same field. */
  idPrefix?: string;
}

export function Field(props: FieldProps): JSX.Element {
  const id = `${props.idPrefix ?? 'f'}-${props.name}`;
  const error = props.errors?.[props.name];
  const described = [props.hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div class={error ? 'field has-error' : 'field'}>
      <label for={id} safe>
        {props.label}
      </label>
      <input
        id={id}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.type === 'password' ? undefined : props.value}
        autocomplete={props.autocomplete}
        inputmode={props.inputmode as 'numeric' | undefined}
        required={props.required}
        maxlength={props.maxlength}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={described || undefined}
      />
      {props.hint ? (
        <p class="hint" id={`${id}-hint`} safe>
          {props.hint}
        </p>
      ) : (
        ''
      )}
      {error ? (
        <p class="error" id={`${id}-error`} role="alert" safe>
          {error}
        </p>
      ) : (
        ''
      )}
    </div>
  );
}

export function FormError({ errors }: { errors?: FormErrors }): JSX.Element {
  return errors?._form ? (
    <p class="error form-error" role="alert" safe>
      {errors._form}
    </p>
  ) : (
    ''
  );
}

export function Notice({ text }: { text?: string }): JSX.Element {
  return text ? (
    <p class="notice" role="status" safe>
      {text}
    </p>
  ) : (
    ''
  );
}

/** The row under a form with its one submit button. */
export function Submit({
  label,
  kind = 'primary',
}: {
  label: string;
  kind?: 'primary' | 'secondary' | 'danger';
}): JSX.Element {
  return (
    <div class="actions">
      <button type="submit" class={kind} safe>
        {label}
      </button>
    </div>
  );
}
