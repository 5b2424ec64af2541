import { BarChart, HeatmapChart, LineChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

// Only what the analytics page draws; SVG prints sharp (the printable report).
echarts.use([LineChart, BarChart, HeatmapChart, GridComponent, TooltipComponent, LegendComponent, VisualMapComponent, AriaComponent, SVGRenderer]);

export type ChartOption = echarts.EChartsCoreOption;

/** An Apache ECharts chart in a div: made once, given each new option, resized with its box, disposed on unmount. */
export function EChart({ option, height = 280, label, testId }: { option: ChartOption; height?: number; label: string; testId: string }) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  useEffect(() => {
    if (!box.current) return;
    const instance = echarts.init(box.current, undefined, { renderer: 'svg' });
    chart.current = instance;
    const resize = new ResizeObserver(() => instance.resize());
    resize.observe(box.current);
    return () => {
      resize.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    // The page's own font stack: SVG text would otherwise fall back to a font without Japanese glyphs.
    const fontFamily = box.current ? getComputedStyle(box.current).fontFamily : undefined;
    chart.current?.setOption({ aria: { enabled: true }, animation: false, textStyle: { fontFamily }, ...option }, true);
  }, [option]);
  return <div ref={box} role="img" aria-label={label} style={{ width: '100%', height }} data-testid={testId} className="analytics-chart" />;
}
