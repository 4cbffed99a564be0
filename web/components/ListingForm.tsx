import type { Child } from "hono/jsx";
import type { CategoryNode } from "../../workers/domain/categories.ts";
import { DEFAULT_CURRENCY, TIER_ORDER } from "../../workers/domain/listing-inputs.ts";
import { Checkbox, Field, Form, type FormState } from "./forms.tsx";
import { TIER_NAMES } from "./PackageTabs.tsx";

export interface ListingFormProps {
  action: string;
  submit: string;
  state: FormState;
  /** The category tree: listings go in subcategories, grouped here by their top-level category. */
  categories: CategoryNode[];
  /** How many extra and question rows to show. */
  rows: { extras: number; faq: number };
}

/** The listing's one currency, which every price field is in (a hidden field carries it). */
const currencyOf = (state: FormState) => state.values.currency ?? DEFAULT_CURRENCY;

function PackageFields({ tier, state }: { tier: (typeof TIER_ORDER)[number]; state: FormState }) {
  const name = (key: string) => `packages.${tier}.${key}`;
  return (
    <fieldset class="fieldset fieldset--package">
      <legend>{TIER_NAMES[tier]}</legend>
      <Checkbox name={name("offered")} label="Offer this package" state={state} />
      <div class="fieldset__fields">
        <Field name={name("title")} label="Package name" hint="Like Starter, Business or Complete." state={state} maxlength={60} />
        <Field name={name("price")} label={`Price (${currencyOf(state)})`} hint="Like 25 or 12.50." state={state} inputmode="decimal" autocomplete="off" />
        <div class="field-pair">
          <Field name={name("deliveryDays")} label="Delivery (days)" state={state} type="number" inputmode="numeric" min={1} max={90} />
          <Field name={name("revisions")} label="Revisions" hint="Empty: unlimited." state={state} type="number" inputmode="numeric" min={0} max={20} />
        </div>
        <Field name={name("features")} label="What's included" hint="One per line, up to 10." state={state} multiline />
        <Field name={name("description")} label="Description (optional)" state={state} multiline maxlength={600} />
      </div>
    </fieldset>
  );
}

/** An optional part of the form, folded away until it has something in it (or something wrong): the form stays short on a phone. */
function Optional({ list, title, state, children }: { list: string; title: string; state: FormState; children: Child }) {
  const inList = (name: string) => name.startsWith(`${list}.`);
  const open = Object.entries(state.values).some(([name, value]) => inList(name) && value.trim() !== "") || Object.keys(state.errors).some(inList);
  return (
    <details class="optional" open={open}>
      <summary>{title} (optional)</summary>
      <fieldset class="fieldset">
        <legend class="visually-hidden">{title}</legend>
        {children}
      </fieldset>
    </details>
  );
}

/** The category select: subcategories grouped under their top-level category (top-level ones without children are left out). */
function CategoryField({ categories, state }: { categories: CategoryNode[]; state: FormState }) {
  return (
    <Field
      name="category"
      label="Category"
      state={state}
      required
      options={
        <>
          <option value="">Choose a subcategory</option>
          {categories
            .filter((root) => root.children.length > 0)
            .map((root) => (
              <optgroup label={root.name}>
                {root.children.map((leaf) => (
                  <option value={leaf.slug} selected={state.values.category === leaf.slug}>
                    {leaf.name}
                  </option>
                ))}
              </optgroup>
            ))}
        </>
      }
    />
  );
}

/** Every tier, each with its "offer" box; a problem with the packages as a whole shows above them. */
function PackagesFieldset({ state }: { state: FormState }) {
  const packagesError = state.errors.packages;
  return (
    <fieldset class="fieldset" id="field-packages" aria-describedby={packagesError ? "field-packages-error" : undefined}>
      <legend>Packages</legend>
      <p class="field__hint">Offer one to three. Each higher package must cost more than the one before.</p>
      {packagesError ? (
        <p class="field__error" id="field-packages-error">
          <span class="visually-hidden">Error: </span>
          {packagesError}
        </p>
      ) : null}
      {TIER_ORDER.map((tier) => (
        <PackageFields tier={tier} state={state} />
      ))}
    </fieldset>
  );
}

function ExtrasFields({ rows, state }: { rows: number; state: FormState }) {
  return (
    <Optional list="extras" title="Extras" state={state}>
      <p class="field__hint">Add-ons buyers can choose, like express delivery. Leave a row empty to skip it.</p>
      {Array.from({ length: rows }, (_, row) => (
        <div class="fieldset__row">
          <Field name={`extras.${row}.title`} label={`Extra ${row + 1}`} state={state} maxlength={80} />
          <div class="field-pair">
            <Field name={`extras.${row}.price`} label={`Price (${currencyOf(state)})`} state={state} inputmode="decimal" autocomplete="off" />
            <Field name={`extras.${row}.addedDays`} label="Extra days" state={state} type="number" inputmode="numeric" min={0} max={30} />
          </div>
        </div>
      ))}
    </Optional>
  );
}

function FaqFields({ rows, state }: { rows: number; state: FormState }) {
  return (
    <Optional list="faq" title="Questions and answers" state={state}>
      {Array.from({ length: rows }, (_, row) => (
        <div class="fieldset__row">
          <Field name={`faq.${row}.question`} label={`Question ${row + 1}`} state={state} maxlength={200} />
          <Field name={`faq.${row}.answer`} label={`Answer ${row + 1}`} state={state} multiline maxlength={1000} />
        </div>
      ))}
    </Optional>
  );
}

/** The one form for creating and editing a listing; field names follow workers/routes/listing-form.ts. */
export function ListingForm({ action, submit, state, categories, rows }: ListingFormProps) {
  return (
    <Form action={action} state={state} submit={submit}>
      <input type="hidden" name="currency" value={currencyOf(state)} />
      <Field name="title" label="Title" hint="What you will do, like: I will design a minimalist logo." state={state} minlength={5} maxlength={120} required />
      <CategoryField categories={categories} state={state} />
      <Field
        name="description"
        label="Description"
        hint="At least 50 characters to publish. Markdown works: **bold**, *italic*, and lists with - at the start of a line."
        state={state}
        multiline
        maxlength={10000}
      />
      <Field name="tags" label="Tags" hint="Up to 8, separated by commas: logo, branding" state={state} autocomplete="off" autocapitalize="none" />
      <PackagesFieldset state={state} />
      <ExtrasFields rows={rows.extras} state={state} />
      <FaqFields rows={rows.faq} state={state} />
    </Form>
  );
}
