// The shape lrdoctor.json must have, built from @grafana/schema's own types.
// Grafana's schema types use enums; a dashboard file holds their string values, so Plain<T> maps each enum to the
// union of its values (and recurses), keeping every other constraint, including excess-property checks.
import type { AnnotationQuery, Dashboard, DataQuery, Panel, VariableModel } from '@grafana/schema';
import type { Options as StatOptions } from '@grafana/schema/dist/esm/raw/composable/stat/panelcfg/x/StatPanelCfg_types.gen';
import type {
  FieldConfig as StateTimelineFieldConfig,
  Options as StateTimelineOptions,
} from '@grafana/schema/dist/esm/raw/composable/statetimeline/panelcfg/x/StateTimelinePanelCfg_types.gen';
import type {
  FieldConfig as TimeSeriesFieldConfig,
  Options as TimeSeriesOptions,
} from '@grafana/schema/dist/esm/raw/composable/timeseries/panelcfg/x/TimeSeriesPanelCfg_types.gen';

export type Plain<T> = T extends string
  ? `${T}`
  : T extends number | boolean | null | undefined
    ? T
    : T extends ReadonlyArray<infer U>
      ? Array<Plain<U>>
      : T extends object
        ? { [K in keyof T]: Plain<T[K]> }
        : T;

/** The query model of Grafana's Prometheus datasource plugin (its Go/TS source; not part of @grafana/schema). */
export interface PrometheusQuery extends DataQuery {
  expr: string;
  legendFormat?: string;
  instant?: boolean;
  range?: boolean;
  interval?: string;
  format?: 'time_series' | 'table' | 'heatmap';
}

/** A Prometheus annotation query as Grafana 10+ stores it in dashboard JSON. */
export interface PrometheusAnnotation extends Omit<AnnotationQuery, 'target'> {
  expr: string;
  step?: string;
  titleFormat?: string;
  tagKeys?: string;
  textFormat?: string;
  useValueForTime?: boolean;
}

type TypedPanel<TType extends string, TOptions, TFieldConfig> = Omit<Panel<TOptions, TFieldConfig>, 'type' | 'targets' | 'options'> & {
  type: TType;
  targets: PrometheusQuery[];
  options: TOptions;
};

export type LrDoctorPanel =
  | TypedPanel<'timeseries', TimeSeriesOptions, TimeSeriesFieldConfig>
  | TypedPanel<'state-timeline', StateTimelineOptions, StateTimelineFieldConfig>
  | TypedPanel<'stat', StatOptions, Record<string, unknown>>;

export type LrDoctorDashboard = Plain<
  Omit<Dashboard, 'panels' | 'annotations' | 'templating'> & {
    panels: LrDoctorPanel[];
    annotations: { list: Array<AnnotationQuery | PrometheusAnnotation> };
    templating: { list: VariableModel[] };
  }
>;
