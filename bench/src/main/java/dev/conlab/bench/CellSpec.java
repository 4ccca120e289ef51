package dev.conlab.bench;

import java.util.Map;

/**
 * One cell to measure: a workload under a model with resolved parameters.
 *
 * @param index       position in the run (stable across worker restarts)
 * @param workload    workload id
 * @param model       model id
 * @param params      the workload's parameters
 * @param modelParams the model's parameters
 */
public record CellSpec(int index, String workload, String model, Map<String, Object> params,
                       Map<String, Object> modelParams) {
}
