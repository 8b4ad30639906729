import type {
  MlopsMetricName,
  MlopsMetricsResponse,
} from '@mlops-plugins/backstage-plugin-mlops-common';
import Typography from '@material-ui/core/Typography';
import { useTheme } from '@material-ui/core/styles';
import {
  Area,
  AreaChart,
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { formatNumber } from '../shared';

export interface ChartLine {
  metric: MlopsMetricName;
  label: string;
}

type Row = { t: number } & Partial<Record<MlopsMetricName, number>>;

/** Joins the named series on their timestamps, oldest first. */
export function chartRows(
  series: MlopsMetricsResponse['series'],
  metrics: MlopsMetricName[],
): Row[] {
  const rows = new Map<number, Row>();
  for (const metric of metrics) {
    for (const [t, v] of series[metric] ?? []) {
      const row = rows.get(t) ?? { t };
      row[metric] = v;
      rows.set(t, row);
    }
  }
  return [...rows.values()].sort((a, b) => a.t - b.t);
}

const clock = (withSeconds: boolean) => (t: number) =>
  new Date(t * 1000).toLocaleTimeString([], {
    hour: '2-digit',
    minute: '2-digit',
    ...(withSeconds ? { second: '2-digit' } : {}),
  });

/** Stacked-free area chart of a few series over time (recharts). */
export const SeriesChart = (props: {
  title: string;
  series: MlopsMetricsResponse['series'];
  lines: ChartLine[];
  unit?: string;
  testId?: string;
}) => {
  const theme = useTheme();
  const colors = [
    theme.palette.primary.main,
    theme.palette.secondary.main,
    theme.palette.warning.main,
  ];
  const rows = chartRows(
    props.series,
    props.lines.map(l => l.metric),
  );
  // Minutes alone repeat on every tick while the series spans only a few minutes.
  const span = rows.length > 1 ? rows[rows.length - 1].t - rows[0].t : 0;
  const tick = clock(span < 600);
  return (
    <div data-testid={props.testId}>
      <Typography variant="subtitle2">{props.title}</Typography>
      {rows.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          Prometheus has no samples in this range yet.
        </Typography>
      ) : (
        <ResponsiveContainer width="100%" height={180}>
          <AreaChart
            data={rows}
            margin={{ top: 8, right: 16, bottom: 0, left: 0 }}
          >
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis
              dataKey="t"
              type="number"
              domain={['dataMin', 'dataMax']}
              tickFormatter={tick}
              minTickGap={40}
            />
            <YAxis width={48} tickFormatter={v => formatNumber(v, 1)} />
            <Tooltip
              labelFormatter={t => clock(true)(Number(t))}
              formatter={(v: number) =>
                `${formatNumber(v, 2)}${props.unit ? ` ${props.unit}` : ''}`
              }
            />
            <Legend />
            {props.lines.map((line, i) => (
              <Area
                key={line.metric}
                type="monotone"
                dataKey={line.metric}
                name={line.label}
                stroke={colors[i % colors.length]}
                fill={colors[i % colors.length]}
                fillOpacity={0.15}
                isAnimationActive={false}
                dot={false}
              />
            ))}
          </AreaChart>
        </ResponsiveContainer>
      )}
    </div>
  );
};
