package dev.tessera.index.cassandra;

import dev.tessera.api.Condition;
import dev.tessera.api.Filter;
import java.util.ArrayList;
import java.util.List;

/**
 * The part of a filter's metadata condition that SAI can evaluate: equality terms (a string, number
 * or boolean {@code =}, or an {@code in} of one value) that every match must have, found at the top
 * of the condition or in its top-level {@code and}. It narrows what Cassandra returns; the whole
 * filter is still applied exactly on the client, so a pushdown may only ever be a superset.
 *
 * @param terms {@code (term key, term)} pairs, each a CQL {@code terms[key] = value} restriction
 */
record Pushdown(List<Term> terms) {
  /** At most this many terms are pushed (each is an SAI intersection). */
  static final int MAX_TERMS = 2;

  /** No pushdown. */
  static final Pushdown NONE = new Pushdown(List.of());

  /** One {@code terms[key] = value} restriction. */
  record Term(String key, String value) {}

  /** What of {@code filter}'s condition SAI can check. */
  static Pushdown of(Filter filter) {
    if (filter.condition().isEmpty()) return NONE;
    List<Term> out = new ArrayList<>();
    Condition c = filter.condition().get();
    if (c instanceof Condition.And and) {
      for (Condition part : and.parts()) add(part, out);
    } else {
      add(c, out);
    }
    return out.isEmpty() ? NONE : new Pushdown(List.copyOf(out));
  }

  private static void add(Condition c, List<Term> out) {
    if (out.size() >= MAX_TERMS) return;
    Object value = null;
    String key = null;
    if (c instanceof Condition.Compare x && x.op() == Condition.Op.EQ) {
      key = x.key();
      value = x.value();
    } else if (c instanceof Condition.In x && !x.negated() && x.values().size() == 1) {
      key = x.key();
      value = x.values().get(0);
    }
    if (key == null) return;
    String term = Records.term(value);
    if (term != null) out.add(new Term(Records.termKey(value, key), term));
  }

  /** Whether anything is pushed. */
  boolean isEmpty() {
    return terms.isEmpty();
  }

  /** The CQL restrictions, {@code " AND terms['k'] = ?"} per term, the values bound in order. */
  String cql() {
    StringBuilder b = new StringBuilder();
    for (Term t : terms) b.append(" AND terms[").append(literal(t.key())).append("] = ?");
    return b.toString();
  }

  /** The values to bind after the restrictions before them. */
  List<Object> values() {
    return terms.stream().map(t -> (Object) t.value()).toList();
  }

  /** {@code s} as a CQL string literal. */
  static String literal(String s) {
    return "'" + s.replace("'", "''") + "'";
  }
}
